using EmbedEngine.Kernels.Dense;

namespace EmbedEngine.Kernels.Tests;

#pragma warning disable CA1711 // The delegates name kernel signatures; they are not event handlers.
/// <summary>Signature of <see cref="DropoutKernel"/>'s variants.</summary>
public delegate void DropoutFn(ReadOnlySpan<float> x, Span<float> y, float probability, uint seed);

/// <summary>Signature of <see cref="LstmCellKernel"/>'s forward variants.</summary>
public delegate void LstmForwardFn(int size, Span<float> gates, ReadOnlySpan<float> previousCell, Span<float> cell, Span<float> tanhCell, Span<float> hidden);

/// <summary>Signature of <see cref="LstmCellKernel"/>'s backward variants.</summary>
public delegate void LstmBackwardFn(int size, ReadOnlySpan<float> gates, ReadOnlySpan<float> previousCell, ReadOnlySpan<float> tanhCell,
    ReadOnlySpan<float> hiddenGrad, Span<float> cellGrad, Span<float> gateGrad);

/// <summary>Signature of <see cref="LayerNormKernel"/>'s forward variants.</summary>
public delegate void LayerNormFn(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float epsilon,
    Span<float> y, Span<float> mean, Span<float> rstd);

/// <summary>Signature of <see cref="LayerNormKernel"/>'s backward variants.</summary>
public delegate void LayerNormBackwardFn(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean,
    ReadOnlySpan<float> rstd, ReadOnlySpan<float> dy, Span<float> dx, Span<float> dGamma, Span<float> dBeta);

/// <summary>Signature of <see cref="EmbeddingKernel"/>'s Gather variants.</summary>
public delegate void GatherFn(ReadOnlySpan<float> table, int columns, ReadOnlySpan<int> indices, Span<float> output);

/// <summary>Signature of <see cref="EmbeddingKernel"/>'s ScatterAdd variants.</summary>
public delegate void ScatterAddFn(ReadOnlySpan<float> grad, ReadOnlySpan<int> indices, Span<float> tableGrad, int columns);

/// <summary>Signature of <see cref="CrossEntropyKernel"/>'s variants.</summary>
public delegate float CrossEntropyFn(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> gradient, int columns, int ignoreIndex);

/// <summary>Signature of <see cref="ReductionKernel"/>'s Sum, SumOfSquares and Max variants.</summary>
public delegate float ReduceFn(ReadOnlySpan<float> x);

/// <summary>Signature of <see cref="ReductionKernel"/>'s AddColumnSums variants.</summary>
public delegate void ColumnSumsFn(ReadOnlySpan<float> x, Span<float> sums);

/// <summary>Signature of <see cref="SgdKernel"/>'s variants.</summary>
public delegate void SgdFn(Span<float> weights, ReadOnlySpan<float> gradient, Span<float> velocity, float learningRate, float momentum, bool nesterov);

/// <summary>Signature of <see cref="AdaGradKernel"/>'s variants.</summary>
public delegate void AdaGradFn(Span<float> weights, ReadOnlySpan<float> gradient, Span<float> squareSums, float learningRate, float epsilon);

/// <summary>Signature of <see cref="AdamKernel"/>'s variants.</summary>
public delegate void AdamFn(Span<float> weights, ReadOnlySpan<float> gradient, Span<float> firstMoment, Span<float> secondMoment,
    in AdamSettings settings, int step);

/// <summary>Signature of <see cref="GradientClipKernel"/>'s variants.</summary>
public delegate float ClipFn(ReadOnlySpan<FloatBuffer> gradients, float maxNorm);
#pragma warning restore CA1711

/// <summary>Signature of <see cref="L2NormalizeKernel"/>'s forward variants.</summary>
public delegate void L2NormalizeFn(ReadOnlySpan<float> x, float epsilon, Span<float> y, Span<float> norms);

/// <summary>Signature of <see cref="L2NormalizeKernel"/>'s backward variants.</summary>
public delegate void L2NormalizeBackwardFn(ReadOnlySpan<float> y, ReadOnlySpan<float> norms, float epsilon, ReadOnlySpan<float> dy, Span<float> dx);
