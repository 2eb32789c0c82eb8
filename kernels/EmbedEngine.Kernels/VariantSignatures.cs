using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Dense.Attention;
using EmbedEngine.Kernels.Gemm;

namespace EmbedEngine.Kernels;

// The variant signatures of the CPU kernels: the harness calls each variant through one, the speed suite binds each
// to its operands through one, and an experimental variant (Variants/ExperimentalVariants) must have its kernel's.
/// <summary>Signature of <see cref="DotKernel"/>'s variants.</summary>
public delegate float DotFn(ReadOnlySpan<float> x, ReadOnlySpan<float> y);

/// <summary>Signature of <see cref="AxpyKernel"/>'s variants.</summary>
public delegate void AxpyFn(float a, ReadOnlySpan<float> x, Span<float> y);

/// <summary>Signature of <see cref="ScaleKernel"/>'s variants.</summary>
public delegate void ScaleFn(float a, Span<float> x);

/// <summary>Signature of <see cref="LogisticUpdateKernel"/>'s variants.</summary>
public delegate float LogisticFn(ReadOnlySpan<float> hidden, OutputRows output, ReadOnlySpan<int> targets, ReadOnlySpan<float> labels,
    float learningRate, Span<float> hiddenGrad, SigmoidMode sigmoid);

/// <summary>Signature of <see cref="SoftmaxUpdateKernel"/>'s variants.</summary>
public unsafe delegate float SoftmaxFn(ReadOnlySpan<float> hidden, float* output, nint outputStride, int target,
    float learningRate, Span<float> hiddenGrad, Span<float> probabilities);

/// <summary>Signature of <see cref="CbowKernel"/>'s Average variants.</summary>
public unsafe delegate void AverageFn(float* input, nint stride, ReadOnlySpan<int> rows, Span<float> average);

/// <summary>Signature of <see cref="CbowKernel"/>'s Scatter variants.</summary>
public unsafe delegate void ScatterFn(float* input, nint stride, ReadOnlySpan<int> rows, ReadOnlySpan<float> grad);

/// <summary>Signature of <see cref="BatchedSgnsKernel"/>'s variants.</summary>
public unsafe delegate float BatchedSgnsFn(float* input, nint inputStride, ReadOnlySpan<int> inputRows,
    float* output, nint outputStride, ReadOnlySpan<int> outputRows, int dim, float learningRate,
    Span<float> scratch, SigmoidMode sigmoid);

/// <summary>Signature of <see cref="TopKCosineKernel"/>'s Scores variants.</summary>
public unsafe delegate void ScoresFn(float* matrix, nint stride, int rows, ReadOnlySpan<float> query, Span<float> scores);

/// <summary>Signature of <see cref="GloveUpdateKernel"/>'s variants.</summary>
public unsafe delegate float GloveFn(float* w, float* c, float* gradSqW, float* gradSqC, ref float biasW, ref float biasC,
    ref float gradSqBiasW, ref float gradSqBiasC, int dim, float x, float xMax, float alpha, float eta, float gradClip);

/// <summary>Signature of <see cref="SparseDenseProductKernel"/>'s variants.</summary>
public unsafe delegate void SparseProductFn(ReadOnlySpan<long> rowStarts, ReadOnlySpan<int> columns, ReadOnlySpan<float> values,
    int firstRow, int rowCount, float* dense, nint denseStride, int width, float* output, nint outputStride);

/// <summary>Signature of <see cref="NearestCentroidKernel"/>'s variants.</summary>
public delegate int NearestCentroidFn(ReadOnlySpan<float> point, ReadOnlySpan<float> centroids, int count);

/// <summary>Signature of <see cref="SparseRowNormsKernel"/>'s variants.</summary>
public delegate void SparseNormsFn(ReadOnlySpan<long> rowStarts, ReadOnlySpan<float> values, Span<float> norms);
/// <summary>Signature of <see cref="SgemmKernel"/>'s variants.</summary>
public unsafe delegate void SgemmFn(bool transposeA, bool transposeB, int m, int n, int k, float alpha, float* a, int lda,
    float* b, int ldb, float beta, float* c, int ldc, int threads, GemmEpilogue epilogue);

/// <summary>Signature of <see cref="SgemmKernel"/>'s batched variants.</summary>
public unsafe delegate void BatchedSgemmFn(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
    float* a, int lda, long strideA, float* b, int ldb, long strideB, float beta, float* c, int ldc, long strideC,
    int batchCount, int threads);

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

/// <summary>Signature of <see cref="L2NormalizeKernel"/>'s forward variants.</summary>
public delegate void L2NormalizeFn(ReadOnlySpan<float> x, float epsilon, Span<float> y, Span<float> norms);

/// <summary>Signature of <see cref="L2NormalizeKernel"/>'s backward variants.</summary>
public delegate void L2NormalizeBackwardFn(ReadOnlySpan<float> y, ReadOnlySpan<float> norms, float epsilon, ReadOnlySpan<float> dy, Span<float> dx);

/// <summary>Signature of <see cref="InfoNceKernel"/>'s vector variants (the scalar reference takes no thread count).</summary>
public unsafe delegate float InfoNceFn(float* image, float* text, int count, int negatives, int dimension, float logScale, float maxScale,
    float* imageGrad, float* textGrad, float* logScaleGrad, int threads);

/// <summary>Signature of <see cref="AttentionKernel"/>'s forward variants.</summary>
public unsafe delegate void AttentionForwardFn(in AttentionShape shape, AttentionOperand q, AttentionOperand k, AttentionOperand v,
    AttentionOperand output, float* logSumExp, ReadOnlySpan<int> keyLengths, int threads);

/// <summary>Signature of <see cref="AttentionKernel"/>'s backward variants.</summary>
public unsafe delegate void AttentionBackwardFn(in AttentionShape shape, AttentionOperand q, AttentionOperand k, AttentionOperand v,
    AttentionOperand output, AttentionOperand dOutput, float* logSumExp, ReadOnlySpan<int> keyLengths,
    AttentionOperand dq, AttentionOperand dk, AttentionOperand dv, int threads);
