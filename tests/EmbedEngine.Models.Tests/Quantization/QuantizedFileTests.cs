using System.Buffers.Binary;
using EmbedEngine.Models.FastText;
using EmbedEngine.Models.FastText.Quantization;
using EmbedEngine.Models.FastText.Supervised;
using EmbedEngine.Models.Tests.FastText;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Tests.Quantization;

/// <summary>
/// fastText's .ftz: the fixture fastText quantized loads and scores as fastText scored it, our own .ftz files round
/// trip, and damaged copies are refused with the offset and the reason. In the fixture (300 rows of dimension 10,
/// -qnorm -qout) both matrices take <see cref="QuantMatrixBytes"/> after their flag, at the very end of the file.
/// </summary>
public sealed class QuantizedFileTests : IDisposable
{
    /// <summary>qnorm, rows, columns, codesize, 300 × 5 codes, the quantizer (4 ints, 10 × 256 floats), 300 norm codes, the norm quantizer (4 ints, 256 floats).</summary>
    private const int QuantMatrixBytes = 1 + 8 + 8 + 4 + 1500 + 16 + 10 * 256 * 4 + 300 + 16 + 256 * 4;

    private readonly FastText.ScratchFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static byte[] Fixture() => File.ReadAllBytes(SupervisedFixture.ModelPath(SupervisedFixture.QuantizedModel));

    /// <summary>Offset of the input QuantMatrix (after its quantized flag).</summary>
    private static long InputMatrix(byte[] bytes) => bytes.Length - 2 * QuantMatrixBytes - 1;

    [Fact]
    public void fastTexts_ftz_loads_quantized_and_scores_as_fastText_tested_it()
    {
        using ClassifierModel model = ClassifierModel.Load(SupervisedFixture.ModelPath(SupervisedFixture.QuantizedModel));
        QuantizedMatrix input = Assert.IsType<QuantizedMatrix>(model.QuantizedInput);
        Assert.Equal((300, 10, 5, 2), (input.Rows, input.Columns, input.Quantizer.SubspaceCount, input.Quantizer.SubspaceDimension));
        Assert.NotNull(input.NormQuantizer);
        Assert.NotNull(model.FastText.QuantizedOutput);
        Assert.Equal(300, model.FastText.Dictionary.WordCount + model.FastText.Dictionary.PrunedBuckets!.Count);
        ClassifierScore score = ClassifierEvaluation.Test(model, SupervisedFixture.TestPath(SupervisedFixture.QuantizedModel));
        // fastText test printed N 10, P@1 0.6, R@1 0.6 for this model.
        Assert.Equal((10L, 0.6, 0.6), (score.Examples, score.Precision, score.Recall));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Our_ftz_round_trips_and_predicts_the_same(bool quantizeNorms, bool quantizeOutput)
    {
        using ClassifierModel dense = ClassifierModel.Load(SupervisedFixture.ModelPath("spam-softmax"));
        using ClassifierModel source = quantizeOutput
            ? ClassifierModel.Load(SupervisedFixture.ModelPath(SupervisedFixture.QuantizedModel))
            : ClassifierQuantizer.Quantize(dense, new QuantizationOptions { QuantizeNorms = quantizeNorms, Cutoff = 400 });
        string path = _folder.File("model.ftz"), again = _folder.File("again.ftz");
        source.Save(path);
        using ClassifierModel loaded = ClassifierModel.Load(path);
        loaded.Save(again);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));
        string test = SupervisedFixture.TestPath(quantizeOutput ? SupervisedFixture.QuantizedModel : "spam-softmax");
        foreach (string line in File.ReadLines(test))
            Assert.Equal(source.Predict(line, k: 2), loaded.Predict(line, k: 2));
    }

    [Theory]
    [InlineData(0)] // the qnorm flag
    [InlineData(5)] // inside the row count
    [InlineData(21 + 700)] // inside the codes
    [InlineData(21 + 1500 + 8)] // inside the quantizer's header
    [InlineData(21 + 1500 + 16 + 5000)] // inside the centroids
    [InlineData(QuantMatrixBytes - 1100)] // inside the norm codes
    public void Truncated_inside_the_input_matrix(int cut)
    {
        byte[] bytes = Fixture();
        long at = InputMatrix(bytes) + cut;
        var error = Load(bytes[..(int)at]);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 1L << 40, "quantized input matrix is 1099511627776 x 10; the settings and dictionary call for 300 x 10")]
    [InlineData(17, 1501L, "code size of 1501 for 300 rows of 10 columns")]
    [InlineData(17, 300L * 7_000_000, "code size of 2100000000")]
    [InlineData(17, 3000L, "expected dimension 10 cut into 10 subspaces")]
    [InlineData(21 + 1500 + 4, 1L << 30, "1073741824 subspaces")]
    [InlineData(21 + 1500 + 8, 0L, "subspaces of 0")]
    [InlineData(21 + 1500 + 8, 3L, "subspaces of 3")]
    public void Sizes_that_do_not_fit_are_refused_before_allocating(int field, long value, string reason)
    {
        byte[] bytes = Fixture();
        long at = InputMatrix(bytes) + field;
        // Row and column counts are int64; the code size and the quantizer's fields int32.
        if (field == 1) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan((int)at), value);
        else BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan((int)at), (int)value);
        var error = Load(bytes);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flags_and_values_out_of_range_are_refused()
    {
        byte[] bytes = Fixture();
        long input = InputMatrix(bytes);
        byte[] badNorm = [.. bytes];
        badNorm[input] = 2;
        Assert.Contains("qnorm flag is 2", Load(badNorm).Message, StringComparison.Ordinal);
        byte[] badCentroid = [.. bytes];
        BinaryPrimitives.WriteSingleLittleEndian(badCentroid.AsSpan((int)input + 21 + 1500 + 16 + 40), float.NaN);
        var error = Load(badCentroid);
        Assert.Contains("expected a finite float32", error.Message, StringComparison.Ordinal);
        Assert.Equal(input + 21 + 1500 + 16 + 40, error.ByteOffset);
    }

    private VectorFormatException Load(byte[] bytes)
    {
        string path = _folder.File("cut.ftz");
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<VectorFormatException>(() => ClassifierModel.Load(path));
        Assert.Contains("cut.ftz", error.Message, StringComparison.Ordinal);
        return error;
    }
}
