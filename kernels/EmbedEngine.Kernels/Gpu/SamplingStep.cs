using ILGPU;

namespace EmbedEngine.Kernels.Gpu;

/// <summary>The scalars of one launch of a negative-sampling kernel (<see cref="SgnsWindowGpu"/>, <see cref="CbowGpu"/>).</summary>
internal readonly struct SamplingStep(int dim, float learningRate, SigmoidGpu sigmoid, ArrayView<float> loss)
{
    /// <summary>Used floats per row.</summary>
    public readonly int Dim = dim;

    /// <summary>lr.</summary>
    public readonly float LearningRate = learningRate;

    /// <summary>How σ is taken.</summary>
    public readonly SigmoidGpu Sigmoid = sigmoid;

    /// <summary>One float that every group adds its summed loss to.</summary>
    public readonly ArrayView<float> Loss = loss;
}
