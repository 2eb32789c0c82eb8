using System.CommandLine;
using System.Globalization;
using EmbedEngine.Evaluation.Sentence;
using EmbedEngine.Models.Contextual.Elmo;
using EmbedEngine.Models.Sentence;
using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed eval sts</c>: SemEval STS 2012–2014 and SICK relatedness by the cosine of sentence vectors (SentEval's
/// protocol), from word vectors (mean or SIF pooling) or from an ELMo-like model's contextual vectors.
/// </summary>
internal static class StsCommand
{
    public static Command Create(TextWriter output)
    {
        var vectors = new Option<FileInfo?>("--vectors", "-v") { Description = "Word vectors (any format embed reads), averaged over each sentence's words as the comparison corpus spells them." };
        var model = new Option<DirectoryInfo?>("--model", "-m") { Description = "An ELMo-like model (embed train elmo): its contextual vectors averaged over the sentence." };
        var layer = new Option<string>("--layer") { Description = "With --model: 0 (token vectors), 1 … the LSTM layers, or mix (their mean).", DefaultValueFactory = _ => "mix" };
        var pooling = new Option<string>("--pooling") { Description = "With --vectors: mean, or sif (smooth inverse frequency weights and the first principal component removed, fitted on --corpus).", DefaultValueFactory = _ => "mean" };
        var corpus = new Option<FileInfo?>("--corpus") { Description = "With --pooling sif: the text (one sentence a line) that gives word frequencies and the component." };
        var smoothing = new Option<double>("--sif-a") { Description = "SIF's smoothing a in a / (a + p(w)).", DefaultValueFactory = _ => SifEncoder.DefaultSmoothing };
        var data = new Option<DirectoryInfo>("--data") { Description = "The STS folder (2012/, 2013/, 2014/, sick2014/).", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("..", "shared", "data", "sts")) };
        var command = new Command("sts", "Semantic textual similarity (STS12-14, SICK-R): Spearman and Pearson x100 of sentence-vector cosines.") { vectors, pooling, corpus, smoothing, model, layer, data };
        command.SetAction(parsed =>
        {
            FileInfo? vectorFile = parsed.GetValue(vectors);
            DirectoryInfo? modelFolder = parsed.GetValue(model);
            if ((vectorFile == null) == (modelFolder == null)) throw new ArgumentException("Give either --vectors (word vectors) or --model (an ELMo-like model).");
            IReadOnlyList<StsFile> files = StsData.Load(parsed.GetValue(data)!.FullName);
            StsReport report;
            if (vectorFile != null)
            {
                using KeyedVectors keyed = WordVectorFiles.Load(vectorFile.FullName);
                report = StsEvaluator.Evaluate(WordEncoder(keyed, parsed.GetValue(pooling)!, parsed.GetValue(corpus)?.FullName, parsed.GetValue(smoothing)), files);
            }
            else
            {
                using BidirectionalLanguageModel loaded = BiLmCheckpoint.Load(modelFolder!.FullName);
                report = StsEvaluator.Evaluate(new BiLmSentenceEncoder(loaded, ElmoCommands.ParseLayer(parsed.GetValue(layer)!, loaded.Config.Layers)), files);
            }
            Write(report, output);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The pooling of word vectors --pooling names.</summary>
    private static ISentenceEncoder WordEncoder(KeyedVectors vectors, string pooling, string? corpus, double smoothing) => pooling switch
    {
        "mean" => new MeanPoolingEncoder(vectors),
        "sif" => SifEncoder.Fit(vectors, File.ReadLines(corpus is { } path && File.Exists(path)
            ? path : throw new ArgumentException(corpus == null ? "--pooling sif needs --corpus, the text SIF's frequencies and component come from." : $"{corpus} does not exist.")), smoothing),
        _ => throw new ArgumentException($"--pooling takes mean or sif; got '{pooling}'."),
    };

    private static void Write(StsReport report, TextWriter output)
    {
        foreach (StsFileResult file in report.Files)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{file.Group,-7} {file.Name,-24} {file.Pairs,5} pairs  Spearman {file.Spearman,6:F2}  Pearson {file.Pearson,6:F2}"));
        foreach (StsGroupResult group in report.Groups)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{group.Group,-7} mean of {group.Files} files: Spearman {group.Spearman:F2}, Pearson {group.Pearson:F2}; weighted by {group.Pairs} pairs: Spearman {group.WeightedSpearman:F2}, Pearson {group.WeightedPearson:F2}"));
    }
}
