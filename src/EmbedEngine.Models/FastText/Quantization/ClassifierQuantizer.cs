using EmbedEngine.Kernels;
using EmbedEngine.Models.FastText.Supervised;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.FastText.Quantization;

/// <summary>
/// fastText's <c>quantize</c> of a supervised model: optionally prune the input to the rows with the largest
/// norms (<c>-cutoff</c>) and train the pruned model again (<c>-retrain</c>), then product-quantize the input
/// matrix and, with <c>-qout</c>, the output layer.
/// </summary>
public static class ClassifierQuantizer
{
    /// <summary>fastText quantizes the output layer with subspaces of 2 floats, whatever <c>-dsub</c> says.</summary>
    private const int OutputSubspaceDimension = 2;

    /// <summary>
    /// A quantized copy of the dense classifier <paramref name="model"/>. The caller still owns and disposes
    /// <paramref name="model"/>; without a cutoff and with <c>-qnorm</c> its input rows are normalized in place
    /// (fastText also consumes the matrix it quantizes, and the input may be gigabytes), so predict with the result.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range, the cutoff exceeds the rows, or a matrix to
    /// quantize has fewer than 256 rows.</exception>
    public static ClassifierModel Quantize(ClassifierModel model, QuantizationOptions options,
        Action<TrainingProgress>? onRetrainProgress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        options.Validate();
        if (model.QuantizedInput is not null) throw new ArgumentException("the model is quantized already");
        if (options.Cutoff is > 0 and < ProductQuantizer.CentroidCount)
            throw new ArgumentException($"-cutoff {options.Cutoff} keeps too few input rows: quantizing needs at least {ProductQuantizer.CentroidCount}");
        if (options.QuantizeOutput && model.Dictionary.LabelCount < ProductQuantizer.CentroidCount)
            throw new ArgumentException($"-qout quantizes the output layer, one row per label, but the model has {model.Dictionary.LabelCount} labels; quantizing needs at least {ProductQuantizer.CentroidCount} (fastText refuses this too)");
        FastTextModel dense = model.FastText;
        FastTextArgs args = dense.Args;
        FastTextDictionary dictionary = dense.Dictionary;
        NativeMatrix? prunedInput = null;
        NativeMatrix output = Gather(dense.Output, null);
        try
        {
            if (options.Cutoff > 0)
            {
                (dictionary, int[] sourceRows) = InputPruning.Prune(dictionary, dense.Input, options.Cutoff);
                prunedInput = Gather(dense.Input, sourceRows);
                if (options.Retrain)
                {
                    // The pruned model only borrows the two matrices for training; it is never disposed here.
                    var pruned = new ClassifierModel(new FastTextModel(args, dictionary, prunedInput, output), model.Dictionary.LabelPrefix);
                    Retrain(pruned, options, onRetrainProgress, cancellation);
                    args = args with { Epochs = options.Epochs };
                }
            }
            QuantizedMatrix input = QuantizedMatrix.Quantize(prunedInput ?? dense.Input, options.SubspaceDimension, options.QuantizeNorms);
            FastTextModel quantized;
            if (options.QuantizeOutput)
            {
                quantized = new FastTextModel(args, dictionary, input,
                    QuantizedMatrix.Quantize(output, OutputSubspaceDimension, options.QuantizeNorms));
                output.Dispose();
            }
            else quantized = new FastTextModel(args, dictionary, input, output);
            return new ClassifierModel(quantized, model.Dictionary.LabelPrefix);
        }
        catch
        {
            output.Dispose();
            throw;
        }
        finally
        {
            prunedInput?.Dispose();
        }
    }

    /// <summary>Trains the pruned model on the training file with the quantize options' epochs, rate and threads.</summary>
    private static void Retrain(ClassifierModel pruned, QuantizationOptions options, Action<TrainingProgress>? onProgress,
        CancellationToken cancellation)
    {
        var training = new ClassifierOptions
        {
            Dimension = pruned.Dimension,
            Loss = pruned.Loss,
            WordNgrams = pruned.Dictionary.WordNgrams,
            Buckets = pruned.Dictionary.Buckets,
            LabelPrefix = pruned.Dictionary.LabelPrefix,
            Epochs = options.Epochs,
            LearningRate = options.LearningRate,
            Threads = options.Threads,
        };
        ClassifierTrainer.Continue(pruned, options.TrainingFile!, training, onProgress, cancellation: cancellation);
    }

    /// <summary>A new padded matrix of the given rows of <paramref name="source"/> (all of them when null), in that order.</summary>
    private static NativeMatrix Gather(NativeMatrix source, int[]? rows)
    {
        int count = rows?.Length ?? source.Rows;
        NativeMatrix copy = NativeMatrix.Allocate(count, source.Columns, padRows: true);
        for (int row = 0; row < count; row++) source.Row(rows?[row] ?? row).CopyTo(copy.Row(row));
        return copy;
    }
}
