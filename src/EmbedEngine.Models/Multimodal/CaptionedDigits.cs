using EmbedEngine.Models.Mlp;

namespace EmbedEngine.Models.Multimodal;

/// <summary>One split of a captioned digit set: images, their labels and one caption per image, in one order.</summary>
/// <param name="Images">The images.</param>
/// <param name="Labels">One class per image.</param>
/// <param name="Captions">One caption per image.</param>
public sealed record CaptionedDigits(IdxImages Images, byte[] Labels, IReadOnlyList<string> Captions)
{
    /// <summary>Images in the split.</summary>
    public int Count => Images.Count;

    /// <summary>
    /// Reads the MNIST-style folder <paramref name="folder"/> (train- and t10k- images and labels, idx, plain or
    /// gzip) and captions both splits with a <see cref="DigitCaptioner"/> fitted on the training split, or takes the
    /// captions from <paramref name="trainingCaptions"/> and <paramref name="testCaptions"/> (one line per image).
    /// </summary>
    /// <exception cref="FileNotFoundException">An idx or caption file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is broken, or images, labels and captions disagree in number or size.</exception>
    /// <exception cref="ArgumentException">Captions are generated but the training split lacks a digit.</exception>
    public static (CaptionedDigits Training, CaptionedDigits Test) Load(string folder, string? trainingCaptions = null, string? testCaptions = null)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"The data folder {folder} does not exist.");
        (IdxImages trainImages, byte[] trainLabels) = ReadSplit(folder, "train");
        (IdxImages testImages, byte[] testLabels) = ReadSplit(folder, "t10k");
        if (testImages.Rows != trainImages.Rows || testImages.Columns != trainImages.Columns)
            throw new InvalidDataException($"{folder}: test images are {testImages.Rows}x{testImages.Columns} but training images {trainImages.Rows}x{trainImages.Columns}.");
        // The captioner is fitted only when a split needs generated captions: given files, any labels will do.
        DigitAttributes[] trainAttributes = Measure(trainImages, trainLabels);
        var captioner = new Lazy<DigitCaptioner>(() => DigitCaptioner.Fit(trainAttributes));
        IReadOnlyList<string> trainCaptions = trainingCaptions != null
            ? ReadCaptions(trainingCaptions, trainImages.Count)
            : trainAttributes.Select((a, i) => captioner.Value.Caption(a, i, test: false)).ToArray();
        IReadOnlyList<string> testCaptionList = testCaptions != null
            ? ReadCaptions(testCaptions, testImages.Count)
            : Measure(testImages, testLabels).Select((a, i) => captioner.Value.Caption(a, i, test: true)).ToArray();
        return (new CaptionedDigits(trainImages, trainLabels, trainCaptions), new CaptionedDigits(testImages, testLabels, testCaptionList));
    }

    /// <summary>The images and labels of one split ("train" or "t10k"), which must agree in number.</summary>
    private static (IdxImages Images, byte[] Labels) ReadSplit(string folder, string prefix)
    {
        IdxImages images = IdxFile.ReadImages(IdxFile.Find(folder, prefix + "-images-idx3-ubyte"));
        byte[] labels = IdxFile.ReadLabels(IdxFile.Find(folder, prefix + "-labels-idx1-ubyte"));
        if (labels.Length != images.Count)
            throw new InvalidDataException($"{folder}: {prefix} has {images.Count} images but {labels.Length} labels.");
        int bad = Array.FindIndex(labels, l => l > 9);
        if (bad >= 0) throw new InvalidDataException($"{folder}: {prefix} label {bad} is {labels[bad]}; digits are 0–9.");
        return (images, labels);
    }

    private static DigitAttributes[] Measure(IdxImages images, byte[] labels)
    {
        var attributes = new DigitAttributes[images.Count];
        for (int i = 0; i < attributes.Length; i++) attributes[i] = DigitAttributes.Measure(images, i, labels[i]);
        return attributes;
    }

    /// <summary>One caption per line, exactly <paramref name="expected"/> of them, none blank.</summary>
    private static string[] ReadCaptions(string path, int expected)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The caption file {path} does not exist.", path);
        string[] lines = File.ReadAllLines(path);
        if (lines.Length > 0 && lines[^1].Length == 0) lines = lines[..^1];
        if (lines.Length != expected)
            throw new InvalidDataException($"{path} has {lines.Length} captions but the split has {expected} images: one caption per line, in image order.");
        int blank = Array.FindIndex(lines, string.IsNullOrWhiteSpace);
        if (blank >= 0) throw new InvalidDataException($"{path}, line {blank + 1}: the caption is blank.");
        return lines;
    }
}
