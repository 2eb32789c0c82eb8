using System.CommandLine;
using System.Globalization;
using EmbedEngine.Models.Count;

namespace EmbedEngine.Cli.Commands;

/// <summary>The options of <c>embed tfidf fit</c> that choose how terms are cut and weighed, named after scikit-learn's.</summary>
internal sealed class TfIdfFitArguments
{
    private static readonly TfIdfOptions Defaults = new();

    public Option<string> Analyzer { get; } = new("--analyzer") { Description = "word, char_wb (character n-grams inside padded words) or char.", DefaultValueFactory = _ => "word" };
    public Option<string> NGramRange { get; } = new("--ngram-range") { Description = "Shortest and longest n-gram, e.g. 1,2 (words) or 3,5 (characters).", DefaultValueFactory = _ => "1,1" };
    public Option<bool> KeepCase { get; } = new("--no-lowercase") { Description = "Keep the text's case instead of lowercasing it." };
    public Option<string> MinDf { get; } = new("--min-df") { Description = "Drop terms in fewer documents: a count (2) or a fraction (0.01).", DefaultValueFactory = _ => Defaults.MinDf.ToString() };
    public Option<string> MaxDf { get; } = new("--max-df") { Description = "Drop terms in more documents: a count (500) or a fraction (0.9).", DefaultValueFactory = _ => Defaults.MaxDf.ToString() };
    public Option<int> MaxFeatures { get; } = new("--max-features") { Description = "Keep the most frequent terms only (0: all)." };
    public Option<int> HashFeatures { get; } = new("--hash-features") { Description = "Hash terms into this many features (a power of two, e.g. 1048576) instead of learning a vocabulary." };
    public Option<bool> BinaryTf { get; } = new("--binary") { Description = "Count a term once per document, however often it occurs." };
    public Option<bool> SublinearTf { get; } = new("--sublinear-tf") { Description = "Weigh a term by 1 + ln(count) instead of its count." };
    public Option<string> Idf { get; } = new("--idf") { Description = "smooth: ln((1+n)/(1+df)) + 1; plain: ln(n/df) + 1; none.", DefaultValueFactory = _ => "smooth" };
    public Option<string> Norm { get; } = new("--norm") { Description = "l2: unit-length document vectors; none.", DefaultValueFactory = _ => "l2" };

    public void AddTo(Command command)
    {
        command.Add(Analyzer);
        command.Add(NGramRange);
        command.Add(KeepCase);
        command.Add(MinDf);
        command.Add(MaxDf);
        command.Add(MaxFeatures);
        command.Add(HashFeatures);
        command.Add(BinaryTf);
        command.Add(SublinearTf);
        command.Add(Idf);
        command.Add(Norm);
    }

    /// <summary>The options as given, checked.</summary>
    /// <exception cref="ArgumentException">A value is unknown or out of range; the message names the option.</exception>
    public TfIdfOptions Read(ParseResult parsed)
    {
        (int minN, int maxN) = ParseRange(parsed.GetValue(NGramRange)!);
        var options = new TfIdfOptions
        {
            Analyzer = parsed.GetValue(Analyzer)!.ToLowerInvariant() switch
            {
                "word" => TfIdfAnalyzer.Word,
                "char_wb" or "char-wb" => TfIdfAnalyzer.CharWordBounded,
                "char" => TfIdfAnalyzer.Char,
                string other => throw new ArgumentException($"unknown --analyzer '{other}': use word, char_wb or char"),
            },
            MinN = minN,
            MaxN = maxN,
            Lowercase = !parsed.GetValue(KeepCase),
            MinDf = DocumentFrequencyBound.Parse(parsed.GetValue(MinDf)!, "--min-df"),
            MaxDf = DocumentFrequencyBound.Parse(parsed.GetValue(MaxDf)!, "--max-df"),
            MaxFeatures = parsed.GetValue(MaxFeatures),
            HashFeatures = parsed.GetValue(HashFeatures),
            BinaryTf = parsed.GetValue(BinaryTf),
            SublinearTf = parsed.GetValue(SublinearTf),
            Idf = parsed.GetValue(Idf)!.ToLowerInvariant() switch
            {
                "smooth" => IdfWeighting.Smooth,
                "plain" => IdfWeighting.Plain,
                "none" => IdfWeighting.None,
                string other => throw new ArgumentException($"unknown --idf '{other}': use smooth, plain or none"),
            },
            L2Normalize = parsed.GetValue(Norm)!.ToLowerInvariant() switch
            {
                "l2" => true,
                "none" => false,
                string other => throw new ArgumentException($"unknown --norm '{other}': use l2 or none"),
            },
        };
        options.Validate();
        return options;
    }

    /// <summary>"1,2" or "1-2" as (1, 2); a single "2" as (2, 2).</summary>
    private static (int Min, int Max) ParseRange(string text)
    {
        string[] parts = text.Split([',', '-'], StringSplitOptions.TrimEntries);
        if (parts.Length is < 1 or > 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int min)
            || !int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int max))
            throw new ArgumentException($"--ngram-range must be two whole numbers such as 1,2, not '{text}'");
        return (min, max);
    }
}
