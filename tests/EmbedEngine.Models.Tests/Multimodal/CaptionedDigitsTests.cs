using EmbedEngine.Tests.Shared;
using EmbedEngine.Models.Multimodal;

namespace EmbedEngine.Models.Tests.Multimodal;

public sealed class CaptionedDigitsTests : IDisposable
{
    private readonly ScratchFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_folder_of_idx_files_loads_with_generated_captions(bool gzip)
    {
        byte[] trainLabels = TinyClip.WriteSplit(_folder.Path, "train", perClass: 3, seed: 1, gzip);
        byte[] testLabels = TinyClip.WriteSplit(_folder.Path, "t10k", perClass: 1, seed: 2, !gzip);
        (CaptionedDigits training, CaptionedDigits test) = CaptionedDigits.Load(_folder.Path);
        Assert.Equal(30, training.Count);
        Assert.Equal(10, test.Count);
        Assert.Equal(trainLabels, training.Labels);
        Assert.Equal(testLabels, test.Labels);
        Assert.Equal(TinyClip.Images(trainLabels, 1).Pixels, training.Images.Pixels);
        Assert.Equal((8, 8), (training.Images.Rows, training.Images.Columns));
        Assert.Equal(30, training.Captions.Count);
        Assert.Equal(10, test.Captions.Count);
        for (int i = 0; i < 30; i++)
            Assert.Contains(DigitCaptioner.Digits[trainLabels[i]], CaptionVocabulary.Split(training.Captions[i]));
        for (int i = 0; i < 10; i++)
            Assert.Contains(DigitCaptioner.Digits[testLabels[i]], CaptionVocabulary.Split(test.Captions[i]));
        // Test captions come from the test frames, none of which is a training frame.
        Assert.All(test.Captions, c => Assert.True(c.StartsWith("a picture of", StringComparison.Ordinal) || c.StartsWith("an image of", StringComparison.Ordinal), c));
        (CaptionedDigits again, _) = CaptionedDigits.Load(_folder.Path);
        Assert.Equal(training.Captions, again.Captions);
    }

    [Fact]
    public void Caption_files_replace_the_generated_captions()
    {
        TinyClip.WriteSplit(_folder.Path, "train", perClass: 1, seed: 1, gzip: false);
        TinyClip.WriteSplit(_folder.Path, "t10k", perClass: 1, seed: 2, gzip: true);
        string trainCaptions = _folder.File("train.txt"), testCaptions = _folder.File("test.txt");
        File.WriteAllLines(trainCaptions, Enumerable.Range(0, 10).Select(i => $"train caption {i}"));
        File.WriteAllText(testCaptions, string.Join("\n", Enumerable.Range(0, 10).Select(i => $"test caption {i}"))); // no final newline
        (CaptionedDigits training, CaptionedDigits test) = CaptionedDigits.Load(_folder.Path, trainCaptions, testCaptions);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"train caption {i}"), training.Captions);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"test caption {i}"), test.Captions);
    }

    [Fact]
    public void A_caption_file_with_the_wrong_number_of_lines_is_invalid_data_naming_it()
    {
        TinyClip.WriteSplit(_folder.Path, "train", perClass: 1, seed: 1, gzip: false);
        TinyClip.WriteSplit(_folder.Path, "t10k", perClass: 1, seed: 2, gzip: false);
        string captions = _folder.File("short-captions.txt");
        File.WriteAllLines(captions, Enumerable.Range(0, 9).Select(i => $"caption {i}"));
        var e = Assert.Throws<InvalidDataException>(() => CaptionedDigits.Load(_folder.Path, testCaptions: captions));
        Assert.Contains("short-captions.txt", e.Message, StringComparison.Ordinal);
        Assert.Contains("9 captions", e.Message, StringComparison.Ordinal);
        Assert.Contains("10 images", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<InvalidDataException>(() => CaptionedDigits.Load(_folder.Path, trainingCaptions: captions));
        Assert.Contains("short-captions.txt", e.Message, StringComparison.Ordinal);

        File.WriteAllLines(captions, [.. Enumerable.Range(0, 9).Select(i => $"caption {i}"), "   "]);
        e = Assert.Throws<InvalidDataException>(() => CaptionedDigits.Load(_folder.Path, testCaptions: captions));
        Assert.Contains("line 10", e.Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => CaptionedDigits.Load(_folder.Path, testCaptions: _folder.File("absent.txt")));
    }

    [Fact]
    public void Missing_test_labels_are_not_found()
    {
        TinyClip.WriteSplit(_folder.Path, "train", perClass: 1, seed: 1, gzip: false);
        TinyClip.WriteSplit(_folder.Path, "t10k", perClass: 1, seed: 2, gzip: false);
        File.Delete(_folder.File("t10k-labels-idx1-ubyte"));
        var e = Assert.Throws<FileNotFoundException>(() => CaptionedDigits.Load(_folder.Path));
        Assert.Contains("t10k-labels-idx1-ubyte", e.Message, StringComparison.Ordinal);
        Assert.Throws<DirectoryNotFoundException>(() => CaptionedDigits.Load(_folder.File("absent")));
    }

    [Fact]
    public void Labels_and_images_that_differ_in_number_are_invalid_data()
    {
        TinyClip.WriteSplit(_folder.Path, "train", perClass: 1, seed: 1, gzip: false);
        TinyClip.WriteSplit(_folder.Path, "t10k", perClass: 1, seed: 2, gzip: false);
        File.WriteAllBytes(_folder.File("train-labels-idx1-ubyte"), IdxBytes.Of([.. Enumerable.Range(0, 11).Select(i => (byte)(i % 10))], 11));
        var e = Assert.Throws<InvalidDataException>(() => CaptionedDigits.Load(_folder.Path));
        Assert.Contains("10 images but 11 labels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_label_above_nine_or_test_images_of_another_size_are_invalid_data()
    {
        TinyClip.WriteSplit(_folder.Path, "train", perClass: 1, seed: 1, gzip: false);
        TinyClip.WriteSplit(_folder.Path, "t10k", perClass: 1, seed: 2, gzip: false);
        File.WriteAllBytes(_folder.File("t10k-labels-idx1-ubyte"), IdxBytes.Of([0, 1, 2, 3, 4, 5, 6, 7, 8, 10], 10));
        var e = Assert.Throws<InvalidDataException>(() => CaptionedDigits.Load(_folder.Path));
        Assert.Contains("label 9 is 10", e.Message, StringComparison.Ordinal);

        TinyClip.WriteSplit(_folder.Path, "t10k", perClass: 1, seed: 2, gzip: false);
        File.WriteAllBytes(_folder.File("t10k-images-idx3-ubyte"), IdxBytes.Of(new byte[10 * 100], 10, 10, 10));
        e = Assert.Throws<InvalidDataException>(() => CaptionedDigits.Load(_folder.Path));
        Assert.Contains("10x10", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_image_file_is_invalid_data()
    {
        TinyClip.WriteSplit(_folder.Path, "train", perClass: 1, seed: 1, gzip: false);
        TinyClip.WriteSplit(_folder.Path, "t10k", perClass: 1, seed: 2, gzip: false);
        byte[] whole = File.ReadAllBytes(_folder.File("train-images-idx3-ubyte"));
        File.WriteAllBytes(_folder.File("train-images-idx3-ubyte"), whole[..^64]);
        var e = Assert.Throws<InvalidDataException>(() => CaptionedDigits.Load(_folder.Path));
        Assert.Contains("declares 640 elements but only 576 follow", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Writes a training split of digits 0–5 only (two each) and a full test split.</summary>
    private void WriteSixDigitTraining()
    {
        byte[] labels = [.. Enumerable.Range(0, 12).Select(i => (byte)(i % 6))];
        File.WriteAllBytes(_folder.File("train-images-idx3-ubyte"), IdxBytes.Of(TinyClip.Images(labels, 1).Pixels, 12, 8, 8));
        File.WriteAllBytes(_folder.File("train-labels-idx1-ubyte"), IdxBytes.Of(labels, 12));
        TinyClip.WriteSplit(_folder.Path, "t10k", perClass: 1, seed: 2, gzip: false);
    }

    [Fact]
    public void Generated_captions_need_every_digit_in_the_training_split()
    {
        WriteSixDigitTraining();
        Exception e = Assert.ThrowsAny<Exception>(() => CaptionedDigits.Load(_folder.Path));
        Assert.Contains("no digit 6", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// BUG (src/EmbedEngine.Models/Multimodal/CaptionedDigits.cs, Load): the captioner is fitted on the training split
    /// even when both splits bring their own caption files, so a data set whose training split lacks a digit is refused
    /// ("The training split has no digit 6; captions need every class.", an ArgumentException that Load's documentation
    /// does not list) although no caption is generated. Fitting only when a split has no caption file would fix it.
    /// </summary>
    [Fact]
    public void With_both_caption_files_a_training_split_may_lack_a_digit()
    {
        WriteSixDigitTraining();
        string trainCaptions = _folder.File("train.txt"), testCaptions = _folder.File("test.txt");
        File.WriteAllLines(trainCaptions, Enumerable.Range(0, 12).Select(i => $"a {DigitCaptioner.Digits[i % 6]}"));
        File.WriteAllLines(testCaptions, Enumerable.Range(0, 10).Select(i => $"a {DigitCaptioner.Digits[i]}"));
        (CaptionedDigits training, CaptionedDigits test) = CaptionedDigits.Load(_folder.Path, trainCaptions, testCaptions);
        Assert.Equal(12, training.Count);
        Assert.Equal("a five", training.Captions[11]);
        Assert.Equal("a nine", test.Captions[9]);
    }
}
