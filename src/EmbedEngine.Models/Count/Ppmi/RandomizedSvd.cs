using EmbedEngine.Kernels;

namespace EmbedEngine.Models.Count;

/// <summary>
/// Truncated SVD of a sparse matrix by randomized range finding (Halko, Martinsson and Tropp 2011, algorithms 4.4
/// and 5.1): Q = orth(A·Ω) for a Gaussian Ω of rank + oversampling columns, refined by power iterations
/// Q ← orth(A·orth(Aᵀ·Q)); then B = QᵀA, whose small Gram matrix B·Bᵀ = U_B·Λ·U_Bᵀ gives σ = √λ and U = Q·U_B.
/// Only the left side is computed: word vectors need U and σ, not V.
/// </summary>
public static class RandomizedSvd
{
    /// <summary>Sparse products a run makes: A·Ω, two per power iteration, and Aᵀ·Q for B.</summary>
    public static int ProductCount(int powerIterations) => 2 + 2 * powerIterations;

    /// <summary>The leading <see cref="RandomizedSvdOptions.Rank"/> singular values and left singular vectors of <paramref name="matrix"/>.</summary>
    /// <param name="matrix">The matrix to decompose.</param>
    /// <param name="options">Options; validated against the matrix's shape first.</param>
    /// <param name="onProduct">Called after each sparse product with how many are done (of <see cref="ProductCount"/>).</param>
    /// <param name="cancellation">Stops between and inside products with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentException">Bad options, or a rank not below the matrix's size.</exception>
    public static TruncatedSvd Compute(CsrMatrix matrix, RandomizedSvdOptions options, Action<int>? onProduct = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(matrix.Rows, matrix.Columns);
        var run = new Run(matrix, options, onProduct, cancellation);
        return run.Execute();
    }

    private sealed class Run(CsrMatrix a, RandomizedSvdOptions options, Action<int>? onProduct, CancellationToken cancellation)
    {
        private readonly CsrMatrix _transpose = a.Transpose();
        private readonly int _sketch = Math.Min(options.Rank + options.Oversampling, Math.Min(a.Rows, a.Columns));
        private int _products;

        public TruncatedSvd Execute()
        {
            NativeMatrix q;
            using (NativeMatrix omega = GaussianMatrix.Create(_sketch, a.Columns, options.Seed))
                q = OrthonormalProduct(a, omega);
            try
            {
                for (int i = 0; i < options.PowerIterations; i++)
                {
                    using NativeMatrix z = OrthonormalProduct(_transpose, q);
                    Replace(ref q, OrthonormalProduct(a, z));
                }
                return Decompose(q);
            }
            finally
            {
                q.Dispose();
            }
        }

        /// <summary>orth(sparse · columns), with the input and output stored by column.</summary>
        private NativeMatrix OrthonormalProduct(CsrMatrix sparse, NativeMatrix columns)
        {
            NativeMatrix result = ProductByColumns(sparse, columns);
            DenseColumns.Orthonormalize(result);
            return result;
        }

        /// <summary>sparse · C for C stored by column (as Ω is drawn and Q is orthonormalized); the result by column too.</summary>
        private NativeMatrix ProductByColumns(CsrMatrix sparse, NativeMatrix columns)
        {
            using NativeMatrix rows = DenseColumns.Transpose(columns);
            using NativeMatrix product = NativeMatrix.Allocate(sparse.Rows, _sketch, padRows: true);
            cancellation.ThrowIfCancellationRequested();
            sparse.Multiply(rows, product, options.Threads, cancellation);
            onProduct?.Invoke(++_products);
            return DenseColumns.Transpose(product);
        }

        /// <summary>B = QᵀA as Bᵀ = AᵀQ; eigen-decomposes B·Bᵀ and rotates Q into U.</summary>
        private TruncatedSvd Decompose(NativeMatrix q)
        {
            double[] values, vectors;
            using (NativeMatrix bTransposed = ProductByColumns(_transpose, q))
                (values, vectors) = SymmetricEigen.Decompose(DenseColumns.Gram(bTransposed), _sketch);
            int rank = options.Rank;
            var singularValues = new float[rank];
            var left = NativeMatrix.Allocate(rank, a.Rows, padRows: true);
            for (int i = 0; i < rank; i++)
            {
                // Rounding can leave an eigenvalue of the positive semi-definite B·Bᵀ a hair below zero.
                singularValues[i] = (float)Math.Sqrt(Math.Max(values[i], 0));
                Span<float> u = left.Row(i);
                for (int j = 0; j < _sketch; j++) AxpyKernel.Axpy((float)vectors[j * _sketch + i], q.Row(j), u);
            }
            return new TruncatedSvd(left, singularValues);
        }

        private static void Replace(ref NativeMatrix target, NativeMatrix value)
        {
            target.Dispose();
            target = value;
        }
    }
}
