using System.CommandLine;
using EmbedEngine.Models.Contextual;
using EmbedEngine.Models.Count;
using EmbedEngine.Models.Contextual.Elmo;
using EmbedEngine.Models.FastText;
using EmbedEngine.Models.FastText.Supervised;
using EmbedEngine.Models.Multimodal;
using EmbedEngine.Models.Sentence;
using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// The options that choose a sentence encoder, shared by <c>embed eval sts</c>, <c>embed eval transfer</c> and <c>embed encode</c>: word vectors
/// with a pooling, or a model folder (an ELMo-like biLM, or a GPT-like or BERT-like model) with its layers and pooling, or a
/// CLIP-like model's text tower.
/// </summary>
internal sealed class SentenceEncoderArguments
{
    private readonly Option<FileInfo?> _vectors = new("--vectors", "-v") { Description = "Word vectors (any format embed reads), pooled over each sentence's words as the comparison corpus spells them." };
    private readonly Option<DirectoryInfo?> _model = new("--model", "-m") { Description = "A model folder: an ELMo-like biLM (embed train elmo), a GPT-like or BERT-like model (embed train gpt|bert), or a CLIP-like model (embed train clip: its text embedding; a sentence without a caption word is the zero vector)." };
    private readonly Option<FileInfo?> _doc2vec = new("--doc2vec") { Description = "A Doc2Vec model (embed train doc2vec): each sentence's vector inferred with its weights frozen." };
    private readonly Option<string?> _inferRandom = new("--infer-random")
    {
        Description = "With --doc2vec: shared (the default: every sentence inferred from the same random draws) or fresh (each sentence from draws of its own, as gensim's infer_vector takes them).",
    };
    private readonly Option<string?> _pooling = new("--pooling") { Description = "Word vectors: mean (default), sif (with --corpus), tfidf (with --tfidf) — over a fastText .bin, unseen words from their n-grams — or fasttext (a fastText .bin: print-sentence-vectors' unit-length word vectors averaged, unseen words from subwords). A transformer: mean (default) or cls (BERT-like)." };
    private readonly Option<FileInfo?> _corpus = new("--corpus") { Description = "With --pooling sif: the text (one sentence a line) that gives word frequencies and the component." };
    private readonly Option<FileInfo?> _tfidf = new("--tfidf") { Description = "With --pooling tfidf: a word TF-IDF model (embed tfidf fit) whose weights weigh the words." };
    private readonly Option<double> _smoothing = new("--sif-a") { Description = "SIF's smoothing a in a / (a + p(w)).", DefaultValueFactory = _ => SifEncoder.DefaultSmoothing };
    private readonly Option<string?> _layer = new("--layer") { Description = "A biLM: 0 … its layers, or mix (their mean, the default). A transformer: 0 … its blocks, final (the final-normed output, the default) or mix (the mean of all blocks)." };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { _vectors, _model, _doc2vec, _inferRandom, _pooling, _corpus, _tfidf, _smoothing, _layer }) command.Options.Add(option);
    }

    /// <summary>
    /// What the options choose, with the identity (length, time written) of the file or folder they read: two runs
    /// with the same description encode alike, so an encoded collection can be reused.
    /// </summary>
    public string Describe(ParseResult parsed)
    {
        static string Identity(FileSystemInfo? source)
        {
            if (source is DirectoryInfo folder) source = new FileInfo(Path.Combine(folder.FullName, ContextualCheckpoint.TensorsFile));
            return source is FileInfo { Exists: true } file ? $"{file.FullName}:{file.Length}:{file.LastWriteTimeUtc.Ticks}" : "";
        }
        return string.Join('|', Identity(parsed.GetValue(_vectors)), Identity(parsed.GetValue(_model)), Identity(parsed.GetValue(_doc2vec)), parsed.GetValue(_inferRandom) ?? "", parsed.GetValue(_pooling) ?? "",
            parsed.GetValue(_layer) ?? "", Identity(parsed.GetValue(_corpus)), Identity(parsed.GetValue(_tfidf)),
            parsed.GetValue(_smoothing).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The encoder the options describe; dispose the returned owner (the loaded vectors or model) after use.</summary>
    /// <exception cref="ArgumentException">Neither or both of --vectors and --model, or an option that does not fit the model.</exception>
    public (ISentenceEncoder Encoder, IDisposable Owner) Open(ParseResult parsed)
    {
        OpenedEncoder opened = Open(new EncoderChoice(parsed.GetValue(_vectors)?.FullName, parsed.GetValue(_model)?.FullName, parsed.GetValue(_doc2vec)?.FullName,
            parsed.GetValue(_pooling), parsed.GetValue(_layer), parsed.GetValue(_corpus)?.FullName, parsed.GetValue(_tfidf)?.FullName, parsed.GetValue(_smoothing),
            parsed.GetValue(_inferRandom)));
        return (opened.Encoder, opened);
    }

    /// <summary>Loads the encoder <paramref name="choice"/> describes.</summary>
    /// <exception cref="ArgumentException">Not exactly one source, or an option that does not fit the model.</exception>
    public static OpenedEncoder Open(EncoderChoice choice)
    {
        (string? vectorFile, string? modelFolder, string? doc2vec, string? pooling, string? layer, _, _, _, string? inferRandom) = choice;
        if ((vectorFile != null ? 1 : 0) + (modelFolder != null ? 1 : 0) + (doc2vec != null ? 1 : 0) != 1)
            throw new ArgumentException("Give one of --vectors (word vectors), --model (a model folder) or --doc2vec (a Doc2Vec model).");
        if (doc2vec != null)
        {
            if (pooling != null || layer != null) throw new ArgumentException("A Doc2Vec model infers each sentence's vector: --pooling and --layer do not apply.");
            Doc2VecInferenceRandom random = (inferRandom ?? "shared") switch
            {
                "shared" => Doc2VecInferenceRandom.Shared,
                "fresh" => Doc2VecInferenceRandom.Fresh,
                _ => throw new ArgumentException($"--infer-random takes shared or fresh; got '{inferRandom}'."),
            };
            Doc2VecModel paragraphs = Doc2VecFile.Load(doc2vec);
            return new OpenedEncoder(new Doc2VecSentenceEncoder(paragraphs, random: random), null, paragraphs);
        }
        if (inferRandom != null) throw new ArgumentException("--infer-random belongs to --doc2vec.");
        if (vectorFile != null)
        {
            if (layer != null) throw new ArgumentException("--layer belongs to --model; word vectors have no layers.");
            if (pooling == "fasttext")
            {
                if (!FastTextBinaryFile.HasMagic(vectorFile)) throw new ArgumentException($"--pooling fasttext needs a fastText .bin model; {vectorFile} is not one.");
                FastTextModel fastText = FastTextBinaryFile.Load(vectorFile);
                try
                {
                    if (fastText.Args.Model != FastTextModelKind.Supervised) return new OpenedEncoder(new FastTextSentenceEncoder(fastText), null, fastText);
                    var classifier = new ClassifierModel(fastText);
                    return new OpenedEncoder(new FastTextSentenceEncoder(classifier), null, classifier);
                }
                catch
                {
                    fastText.Dispose();
                    throw;
                }
            }
            // A fastText model also gives vectors to the words outside its vocabulary, from their character n-grams.
            FastTextModel? subwords = FastTextBinaryFile.HasMagic(vectorFile) ? FastTextBinaryFile.Load(vectorFile) : null;
            KeyedVectors? vectors = null;
            try
            {
                vectors = subwords?.ToKeyedVectors() ?? VectorFile.Load(vectorFile);
                ISentenceEncoder wordEncoder = WordEncoder(vectors, subwords, pooling ?? "mean", choice.Corpus, choice.TfIdf, choice.SifSmoothing);
                return new OpenedEncoder(wordEncoder, vectors, vectors, subwords) { Subwords = subwords };
            }
            catch
            {
                vectors?.Dispose();
                subwords?.Dispose();
                throw;
            }
        }
        string path = modelFolder!;
        if (BiLmCheckpoint.Holds(path))
        {
            if (pooling != null && pooling != "mean") throw new ArgumentException($"A biLM's sentence vector is the mean over its words; --pooling {pooling} does not apply.");
            BidirectionalLanguageModel biLm = BiLmCheckpoint.Load(path);
            return new OpenedEncoder(new BiLmSentenceEncoder(biLm, ElmoCommands.ParseLayer(layer ?? "mix", biLm.Config.Layers)), null, biLm);
        }
        if (ClipCheckpoint.Holds(path))
        {
            if (pooling != null || layer != null) throw new ArgumentException("A CLIP model's sentence vector is its text embedding; --pooling and --layer do not apply.");
            ClipModel clip = ClipCheckpoint.Load(path);
            return new OpenedEncoder(new ClipSentenceEncoder(clip), null, clip);
        }
        LanguageModel model = ContextualCheckpoint.Load(path);
        try
        {
            if (model is not TransformerLanguageModel transformer) throw new ArgumentException($"{path} holds an LSTM language model; sentence vectors come from word vectors, a biLM or a transformer.");
            TransformerPooling transformerPooling = (pooling ?? "mean") switch
            {
                "mean" => TransformerPooling.Mean,
                "cls" => TransformerPooling.Cls,
                _ => throw new ArgumentException($"--pooling takes mean or cls for a transformer; got '{pooling}'."),
            };
            return new OpenedEncoder(new TransformerSentenceEncoder(transformer, TransformerLayers(layer ?? "final", transformer.Config.Layers), transformerPooling), null, transformer);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static ISentenceEncoder WordEncoder(KeyedVectors vectors, FastTextModel? subwords, string pooling, string? corpus, string? tfidf, double smoothing) => pooling switch
    {
        "mean" => new MeanPoolingEncoder(vectors, subwords),
        "tfidf" => new TfIdfPoolingEncoder(vectors, TfIdfModel.Load(tfidf ?? throw new ArgumentException("--pooling tfidf needs --tfidf, a word TF-IDF model (embed tfidf fit).")), subwords),
        "sif" => SifEncoder.Fit(vectors, File.ReadLines(corpus is { } path && File.Exists(path)
            ? path : throw new ArgumentException(corpus == null ? "--pooling sif needs --corpus, the text SIF's frequencies and component come from." : $"{corpus} does not exist.")), smoothing,
            subwords: subwords),
        _ => throw new ArgumentException($"--pooling takes mean, sif, tfidf or fasttext for word vectors; got '{pooling}'."),
    };

    private static LayerSelection TransformerLayers(string text, int layers)
    {
        if (text == "final") return LayerSelection.Final;
        if (text == "mix") return LayerSelection.MeanOfLast(layers);
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int layer) && layer <= layers)
            return LayerSelection.Of(layer);
        throw new ArgumentException($"--layer takes 0 … {layers}, final or mix for this model; got '{text}'.");
    }
}
