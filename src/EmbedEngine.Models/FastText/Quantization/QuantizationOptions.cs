namespace EmbedEngine.Models.FastText.Quantization;

/// <summary>
/// Options of fastText's <c>quantize</c>, with its defaults: no pruning (<c>-cutoff 0</c>), no retraining, subspaces
/// of 2 floats (<c>-dsub 2</c>), norms and output layer left as they are (<c>-qnorm</c>, <c>-qout</c> off);
/// retraining runs <c>-epoch 5 -lr 0.1</c> as supervised training does.
/// </summary>
public sealed record QuantizationOptions
{
    /// <summary>Keep only this many input rows, those with the largest norms (<c>-cutoff</c>); 0 keeps all.</summary>
    public int Cutoff { get; init; }

    /// <summary>Train the pruned model again (<c>-retrain</c>); needs <see cref="Cutoff"/> and <see cref="TrainingFile"/>.</summary>
    public bool Retrain { get; init; }

    /// <summary>The labelled file to retrain on (<c>-input</c>).</summary>
    public string? TrainingFile { get; init; }

    /// <summary>Floats per subspace of the input matrix (<c>-dsub</c>).</summary>
    public int SubspaceDimension { get; init; } = 2;

    /// <summary>Quantize row norms separately (<c>-qnorm</c>).</summary>
    public bool QuantizeNorms { get; init; }

    /// <summary>Quantize the output layer too (<c>-qout</c>), with subspaces of 2 floats as fastText does.</summary>
    public bool QuantizeOutput { get; init; }

    /// <summary>Passes of retraining (<c>-epoch</c>).</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>Starting learning rate of retraining (<c>-lr</c>).</summary>
    public float LearningRate { get; init; } = 0.1f;

    /// <summary>Retraining threads (<c>-thread</c>).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Require(Cutoff >= 0, $"cutoff must not be negative, not {Cutoff}");
        Require(SubspaceDimension >= 1, $"dsub must be at least 1, not {SubspaceDimension}");
        Require(!Retrain || Cutoff > 0, "-retrain trains the pruned model again, so it needs -cutoff");
        Require(!Retrain || !string.IsNullOrEmpty(TrainingFile), "-retrain needs the labelled training file as -input");
        Require(Epochs is > 0 and <= 10_000, $"epoch must be in 1..10000, not {Epochs}");
        Require(LearningRate is > 0 and < 100, $"lr must be in (0, 100), not {LearningRate}");
        Require(Threads is > 0 and <= 1_024, $"thread must be in 1..1024, not {Threads}");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException(message);
    }
}
