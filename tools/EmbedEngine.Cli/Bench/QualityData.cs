using EmbedEngine.Cli.Commands;
using EmbedEngine.Evaluation.Sentence;
using EmbedEngine.Evaluation.Transfer;
using EmbedEngine.Models.Multimodal;

namespace EmbedEngine.Cli.Bench;

/// <summary>
/// The evaluation data <c>embed bench quality</c> found in its data folder, read once for every model; a task whose
/// data is absent has null (or no files) here and is skipped with a note when a model it applies to was given.
/// </summary>
internal sealed class QualityData
{
    private const string QuestionsFile = "questions-words.txt";
    private const string SimilarityFolder = "word-sim";
    /// <summary>The transfer task's folder, whose name is also its figure's (as a similarity set's file name is).</summary>
    public const string SpamFolder = "spam-assassin";
    private const string StsFolder = "sts";
    private const string DigitsFolder = "mnist-10k";
    /// <summary>The default held-out text of the language models, under the data folder.</summary>
    public static readonly string DefaultHeldOutText = Path.Combine("wikitext-2", "test.txt");

    private readonly Lazy<(CaptionedDigits Training, CaptionedDigits Test)>? _digits;
    private readonly string _stsFolder, _digitsFolder, _spamFolder;

    private QualityData(QualitySettings settings)
    {
        string data = settings.DataFolder;
        string questions = Path.Combine(data, QuestionsFile);
        Questions = File.Exists(questions) ? questions : null;
        string similarity = Path.Combine(data, SimilarityFolder);
        SimilaritySets = Directory.Exists(similarity) ? [.. Directory.GetFiles(similarity, "*.txt").Order(StringComparer.Ordinal)] : [];
        _spamFolder = Path.Combine(data, SpamFolder);
        Spam = Directory.Exists(_spamFolder) ? TransferData.Load(_spamFolder) : null;
        _stsFolder = Path.Combine(data, StsFolder);
        Sts = Directory.Exists(_stsFolder) ? StsData.Load(_stsFolder) : null;
        HeldOutTextPath = settings.HeldOutText ?? Path.Combine(data, DefaultHeldOutText);
        // An explicit --lm-text must exist; the default one is optional like every other task's data.
        HeldOutText = settings.HeldOutText is not null || File.Exists(HeldOutTextPath)
            ? HeldOutTexts.Read(HeldOutTextPath, settings.HeldOutCharacters)
            : null;
        _digitsFolder = Path.Combine(data, DigitsFolder);
        // Read only when a CLIP model is given: the probe's training images are the largest file here.
        _digits = Directory.Exists(_digitsFolder) ? new(() => CaptionedDigits.Load(_digitsFolder)) : null;
    }

    /// <summary>The analogy questions' path.</summary>
    public string? Questions { get; }

    /// <summary>Every word-similarity set's path, by name.</summary>
    public string[] SimilaritySets { get; }

    /// <summary>The SpamAssassin train and test documents.</summary>
    public TransferData? Spam { get; }

    /// <summary>The STS 2012–2014 and SICK files.</summary>
    public IReadOnlyList<StsFile>? Sts { get; }

    /// <summary>Where the language models' held-out text is (or would be).</summary>
    public string HeldOutTextPath { get; }

    /// <summary>The held-out text, cut to the settings' length.</summary>
    public string? HeldOutText { get; }

    /// <summary>The MNIST-style digits, captioned as <c>embed eval clip</c> captions them; read on first use.</summary>
    public (CaptionedDigits Training, CaptionedDigits Test)? Digits => _digits?.Value;

    /// <exception cref="DirectoryNotFoundException">The data folder is missing or holds no evaluation data.</exception>
    public static QualityData Load(QualitySettings settings)
    {
        if (!Directory.Exists(settings.DataFolder))
            throw new DirectoryNotFoundException($"{settings.DataFolder}: the data folder does not exist.");
        var data = new QualityData(settings);
        if (data.Questions is null && data.SimilaritySets.Length == 0 && data.Spam is null && data.Sts is null && data.HeldOutText is null && data._digits is null)
            throw new DirectoryNotFoundException(
                $"{settings.DataFolder}: holds none of {QuestionsFile}, {SimilarityFolder}/*.txt, {SpamFolder}/, {StsFolder}/, {DefaultHeldOutText} and {DigitsFolder}/.");
        return data;
    }

    /// <summary>A note for each task that applies to one of <paramref name="kinds"/> but whose data is absent.</summary>
    public IReadOnlyList<string> Skipped(IReadOnlyCollection<BenchModelKind> kinds)
    {
        var notes = new List<string>();
        bool sentences = kinds.Any(BenchModelKinds.EncodesSentences);
        if (sentences && Spam is null) notes.Add($"SpamAssassin transfer: {_spamFolder} does not exist.");
        if (sentences && Sts is null) notes.Add($"STS/SICK: {_stsFolder} does not exist.");
        if (kinds.Any(BenchModelKinds.ModelsLanguage) && HeldOutText is null) notes.Add($"Perplexity: {HeldOutTextPath} does not exist.");
        if (kinds.Contains(BenchModelKind.Clip) && _digits is null) notes.Add($"Image-text: {_digitsFolder} does not exist.");
        return notes;
    }
}
