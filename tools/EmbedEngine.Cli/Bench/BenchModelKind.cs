using EmbedEngine.Models.Contextual;
using EmbedEngine.Models.Contextual.Elmo;
using EmbedEngine.Models.Multimodal;
using EmbedEngine.Models.Sentence;

namespace EmbedEngine.Cli.Bench;

/// <summary>What a model file or folder holds, which decides the evaluations that apply to it.</summary>
internal enum BenchModelKind { WordVectors, Doc2Vec, BiLm, Gpt, Bert, Lstm, Clip }

/// <summary>Tells a model's kind from its file, as the commands that load it do, and what each kind can be asked.</summary>
internal static class BenchModelKinds
{
    /// <summary>
    /// A folder (or its model.json): a biLM, a CLIP-like model or a language model by its configuration's format and
    /// kind. A file: a Doc2Vec model by its safetensors metadata, otherwise word vectors (any format embed reads).
    /// </summary>
    /// <exception cref="IOException">A folder without model.json.</exception>
    /// <exception cref="InvalidDataException">A folder whose model.json is no model's.</exception>
    public static BenchModelKind Detect(string path)
    {
        bool folder = Directory.Exists(path);
        if (!folder && Path.GetFileName(path) != ContextualCheckpoint.ConfigFile)
            return Doc2VecFile.Holds(path) ? BenchModelKind.Doc2Vec : BenchModelKind.WordVectors;
        if (BiLmCheckpoint.Holds(path)) return BenchModelKind.BiLm;
        if (ClipCheckpoint.Holds(path)) return BenchModelKind.Clip;
        string config = folder ? Path.Combine(path, ContextualCheckpoint.ConfigFile) : path;
        return ContextualCheckpoint.ReadConfig(config).Kind switch
        {
            ContextualModelKind.Gpt => BenchModelKind.Gpt,
            ContextualModelKind.Bert => BenchModelKind.Bert,
            _ => BenchModelKind.Lstm,
        };
    }

    /// <summary>Whether <c>embed eval sts</c> and <c>embed eval transfer</c> can encode sentences with it (an LSTM language model cannot; CLIP by its text tower).</summary>
    public static bool EncodesSentences(BenchModelKind kind) => kind is not BenchModelKind.Lstm;

    /// <summary>Whether <c>embed eval perplexity</c> measures it.</summary>
    public static bool ModelsLanguage(BenchModelKind kind) => kind is BenchModelKind.BiLm or BenchModelKind.Gpt or BenchModelKind.Bert or BenchModelKind.Lstm;

    /// <summary>The kind in words, for the report's model table and results.json.</summary>
    public static string Name(BenchModelKind kind) => kind switch
    {
        BenchModelKind.WordVectors => "word vectors",
        BenchModelKind.Doc2Vec => "Doc2Vec",
        BenchModelKind.BiLm => "ELMo-like biLM",
        BenchModelKind.Gpt => "GPT-like language model",
        BenchModelKind.Bert => "BERT-like language model",
        BenchModelKind.Lstm => "LSTM language model",
        _ => "CLIP-like image-text model",
    };
}
