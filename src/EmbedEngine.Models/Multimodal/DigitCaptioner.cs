using EmbedEngine.Kernels;

namespace EmbedEngine.Models.Multimodal;

/// <summary>
/// Deterministic captions for handwritten digits, so that a caption says more than the class: stroke thickness
/// (thin, medium or thick by the tercile of the ink count within the digit's class), slant (leaning left below
/// −<see cref="SlantThreshold"/>, upright, leaning right above it) and width (narrow, regular or wide by tercile
/// within the class). The terciles come from the training split and apply to both splits.
/// Training captions draw one of <see cref="TrainingTemplates"/>; test captions one of <see cref="TestTemplates"/>,
/// frames never seen in training that name every attribute (so text→image retrieval within a class is meaningful),
/// and a quarter of them name an attribute by a word never seen in training ("heavy", "fine", "slanted", "broad").
/// The template and words for image i of a split come from a counter-based hash of (split, i): the same on every run.
/// </summary>
public sealed class DigitCaptioner
{
    /// <summary>How far μ11/μ02 must lean from upright to be called slanted.</summary>
    public const float SlantThreshold = 0.12f;

    /// <summary>Training frames: {digit} a number word, {thickness}, {slant}, {width} phrases; some leave attributes out.</summary>
    public static readonly string[] TrainingTemplates =
    [
        "a handwritten {digit}",
        "the digit {digit}",
        "a {thickness} {digit}",
        "a {width} {digit} {slant}",
        "the digit {digit}, drawn with a {thickness} stroke and {slant}",
        "a {width} handwritten {digit} with a {thickness} stroke",
        "a {thickness} {width} {digit}, {slant}",
    ];

    /// <summary>Test frames, none of them a training frame; each names the class and all three attributes.</summary>
    public static readonly string[] TestTemplates =
    [
        "a picture of a {width} {digit} written with a {thickness} stroke, {slant}",
        "an image of the number {digit}: {thickness} stroke, {width}, {slant}",
    ];

    /// <summary>The class words, digit 0 first.</summary>
    public static readonly IReadOnlyList<string> Digits = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
    private static readonly string[] Thickness = ["thin", "medium", "thick"];
    private static readonly string[] Width = ["narrow", "regular", "wide"];
    private static readonly string[] Slant = ["leaning left", "upright", "leaning right"];

    /// <summary>Test-only words for the same attributes (index as above; null keeps the training word).</summary>
    private static readonly string?[] UnseenThickness = ["fine", null, "heavy"];
    private static readonly string?[] UnseenWidth = [null, null, "broad"];
    private static readonly string?[] UnseenSlant = ["slanted left", null, "slanted right"];

    private const uint TrainingSeed = 0x7A11, TestSeed = 0x7E57;

    private readonly int[,] _inkCuts;
    private readonly int[,] _widthCuts;

    private DigitCaptioner(int[,] inkCuts, int[,] widthCuts)
    {
        _inkCuts = inkCuts;
        _widthCuts = widthCuts;
    }

    /// <summary>Takes each class's ink and width terciles from the training split.</summary>
    public static DigitCaptioner Fit(IReadOnlyList<DigitAttributes> training)
    {
        ArgumentNullException.ThrowIfNull(training);
        var inkCuts = new int[10, 2];
        var widthCuts = new int[10, 2];
        for (int label = 0; label < 10; label++)
        {
            int[] ink = [.. training.Where(a => a.Label == label).Select(a => a.Ink).Order()];
            int[] width = [.. training.Where(a => a.Label == label).Select(a => a.Width).Order()];
            if (ink.Length == 0) throw new ArgumentException($"The training split has no digit {label}; captions need every class.", nameof(training));
            for (int cut = 0; cut < 2; cut++)
            {
                inkCuts[label, cut] = ink[(cut + 1) * ink.Length / 3];
                widthCuts[label, cut] = width[(cut + 1) * width.Length / 3];
            }
        }
        return new DigitCaptioner(inkCuts, widthCuts);
    }

    /// <summary>0 thin, 1 medium, 2 thick.</summary>
    public int ThicknessClass(DigitAttributes a) => Tercile(a.Ink, _inkCuts, a.Label);

    /// <summary>0 narrow, 1 regular, 2 wide.</summary>
    public int WidthClass(DigitAttributes a) => Tercile(a.Width, _widthCuts, a.Label);

    /// <summary>0 leaning left, 1 upright, 2 leaning right.</summary>
    public static int SlantClass(DigitAttributes a) => a.Slant < -SlantThreshold ? 0 : a.Slant > SlantThreshold ? 2 : 1;

    /// <summary>The caption of image <paramref name="index"/> of the training split (<paramref name="test"/> false) or the test split.</summary>
    public string Caption(DigitAttributes a, int index, bool test)
    {
        uint seed = test ? TestSeed : TrainingSeed;
        string[] templates = test ? TestTemplates : TrainingTemplates;
        string template = templates[CounterRandom.Hash(seed, 4L * index) % (uint)templates.Length];
        bool unseenWords = test && CounterRandom.Uniform(seed, 4L * index + 1) < 0.25f;
        int thickness = ThicknessClass(a), width = WidthClass(a), slant = SlantClass(a);
        return template
            .Replace("{digit}", Digits[a.Label], StringComparison.Ordinal)
            .Replace("{thickness}", Pick(Thickness, UnseenThickness, thickness, unseenWords), StringComparison.Ordinal)
            .Replace("{width}", Pick(Width, UnseenWidth, width, unseenWords), StringComparison.Ordinal)
            .Replace("{slant}", Pick(Slant, UnseenSlant, slant, unseenWords), StringComparison.Ordinal);
    }

    /// <summary>
    /// Zero-shot prompts for class <paramref name="digit"/> from <paramref name="template"/>: {digit} becomes the class
    /// word, and each of {thickness}, {width} and {slant} that appears takes every training word in turn, so a
    /// template naming attributes stands for every look of the digit (one prompt per combination).
    /// </summary>
    public static IEnumerable<string> Prompts(string template, int digit)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentOutOfRangeException.ThrowIfNegative(digit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digit, 9);
        if (!template.Contains("{digit}", StringComparison.Ordinal))
            throw new ArgumentException($"The prompt template '{template}' has no {{digit}} to fill.", nameof(template));
        IEnumerable<string> prompts = [template.Replace("{digit}", Digits[digit], StringComparison.Ordinal)];
        foreach (var (slot, words) in new[] { ("{thickness}", Thickness), ("{width}", Width), ("{slant}", Slant) })
            prompts = prompts.SelectMany(p => p.Contains(slot, StringComparison.Ordinal)
                ? words.Select(w => p.Replace(slot, w, StringComparison.Ordinal))
                : [p]);
        return prompts;
    }

    /// <summary>For each digit in order, every prompt of <paramref name="templates"/> (<see cref="Prompts"/>): zero-shot's class prompts.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> ClassPrompts(IReadOnlyList<string> templates) =>
        [.. Enumerable.Range(0, Digits.Count).Select(d => (IReadOnlyList<string>)[.. templates.SelectMany(t => Prompts(t, d))])];

    private static string Pick(string[] seen, string?[] unseen, int index, bool preferUnseen) =>
        preferUnseen && unseen[index] != null ? unseen[index]! : seen[index];

    private static int Tercile(int value, int[,] cuts, int label) => value < cuts[label, 0] ? 0 : value < cuts[label, 1] ? 1 : 2;
}
