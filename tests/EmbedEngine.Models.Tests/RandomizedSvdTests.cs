using EmbedEngine.Kernels;
using EmbedEngine.Models.Count;

namespace EmbedEngine.Models.Tests;

public sealed class RandomizedSvdTests
{
    /// <summary>A dense matrix as CSR, keeping only its nonzeros.</summary>
    private static CsrMatrix Sparse(double[,] dense)
    {
        int rows = dense.GetLength(0), columns = dense.GetLength(1);
        var starts = new long[rows + 1];
        var indices = new List<int>();
        var values = new List<float>();
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                if (dense[r, c] == 0) continue;
                indices.Add(c);
                values.Add((float)dense[r, c]);
            }
            starts[r + 1] = indices.Count;
        }
        return new CsrMatrix(columns, starts, [.. indices], [.. values]);
    }

    /// <summary><paramref name="count"/> random orthonormal vectors of length <paramref name="length"/>, by Gram–Schmidt in double.</summary>
    private static double[][] Orthonormal(Random random, int count, int length)
    {
        var basis = new double[count][];
        for (int i = 0; i < count; i++)
        {
            var v = new double[length];
            for (int k = 0; k < length; k++) v[k] = random.NextDouble() * 2 - 1;
            for (int pass = 0; pass < 2; pass++)
                for (int j = 0; j < i; j++)
                {
                    double dot = 0;
                    for (int k = 0; k < length; k++) dot += v[k] * basis[j][k];
                    for (int k = 0; k < length; k++) v[k] -= dot * basis[j][k];
                }
            double norm = Math.Sqrt(v.Sum(x => x * x));
            basis[i] = [.. v.Select(x => x / norm)];
        }
        return basis;
    }

    private static double Dot(ReadOnlySpan<float> x, double[] y)
    {
        double sum = 0;
        for (int k = 0; k < y.Length; k++) sum += x[k] * y[k];
        return sum;
    }

    [Fact]
    public void A_known_low_rank_matrix_gives_back_its_singular_values_and_vectors()
    {
        var random = new Random(11);
        double[] sigma = [10, 5, 2, 1, 0.5];
        double[][] u = Orthonormal(random, sigma.Length, 40), v = Orthonormal(random, sigma.Length, 30);
        var dense = new double[40, 30];
        for (int i = 0; i < sigma.Length; i++)
            for (int r = 0; r < 40; r++)
                for (int c = 0; c < 30; c++)
                    dense[r, c] += sigma[i] * u[i][r] * v[i][c];

        using TruncatedSvd svd = RandomizedSvd.Compute(Sparse(dense), new RandomizedSvdOptions { Rank = 5, Threads = 1 });

        for (int i = 0; i < sigma.Length; i++)
        {
            Assert.Equal(sigma[i], svd.SingularValues[i], 1e-4 * sigma[0]);
            // A singular vector is defined up to sign.
            Assert.Equal(1, Math.Abs(Dot(svd.LeftVectors.Row(i), u[i])), 1e-4);
        }
    }

    [Fact]
    public void Singular_values_of_a_random_sparse_matrix_match_a_dense_jacobi_reference()
    {
        var random = new Random(5);
        var dense = new double[25, 20];
        for (int r = 0; r < 25; r++)
            for (int c = 0; c < 20; c++)
                if (random.Next(2) == 0) dense[r, c] = (float)(random.NextDouble() * 3);
        // Reference: eigenvalues of A·Aᵀ in double from the float entries the SVD sees.
        var gram = new double[25 * 25];
        for (int i = 0; i < 25; i++)
            for (int j = 0; j < 25; j++)
                for (int c = 0; c < 20; c++)
                    gram[i * 25 + j] += dense[i, c] * dense[j, c];
        double[] expected = [.. SymmetricEigen.Decompose(gram, 25).Values.Take(6).Select(l => Math.Sqrt(l))];

        // Rank plus oversampling covers all 20 columns, so the sketch is exact and only rounding remains.
        using TruncatedSvd svd = RandomizedSvd.Compute(Sparse(dense),
            new RandomizedSvdOptions { Rank = 6, Oversampling = 14, PowerIterations = 1, Threads = 2 });

        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], svd.SingularValues[i], 1e-4 * expected[0]);
    }

    [Fact]
    public void Jacobi_returns_sorted_eigenpairs_of_a_symmetric_matrix()
    {
        var random = new Random(3);
        const int n = 12;
        var matrix = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
                matrix[i * n + j] = matrix[j * n + i] = random.NextDouble() * 2 - 1;
        double[] original = (double[])matrix.Clone();

        var (values, vectors) = SymmetricEigen.Decompose(matrix, n);

        for (int k = 0; k < n; k++)
        {
            if (k > 0) Assert.True(values[k] <= values[k - 1]);
            for (int i = 0; i < n; i++)
            {
                double av = 0;
                for (int j = 0; j < n; j++) av += original[i * n + j] * vectors[j * n + k];
                Assert.Equal(values[k] * vectors[i * n + k], av, 1e-10);
            }
        }
        double trace = Enumerable.Range(0, n).Sum(i => original[i * n + i]);
        Assert.Equal(trace, values.Sum(), 1e-10);
    }

    [Fact]
    public void A_seed_fixes_the_result_whatever_the_thread_count()
    {
        var random = new Random(8);
        var dense = new double[60, 60];
        for (int r = 0; r < 60; r++)
            for (int c = 0; c < 60; c++)
                if (random.Next(4) == 0) dense[r, c] = random.NextDouble();
        CsrMatrix matrix = Sparse(dense);
        var options = new RandomizedSvdOptions { Rank = 8, Oversampling = 4, Seed = 21, Threads = 1 };

        using TruncatedSvd first = RandomizedSvd.Compute(matrix, options);
        using TruncatedSvd second = RandomizedSvd.Compute(matrix, options with { Threads = 2 });
        using TruncatedSvd reseeded = RandomizedSvd.Compute(matrix, options with { Seed = 22 });

        Assert.Equal(first.SingularValues, second.SingularValues);
        for (int i = 0; i < 8; i++) Assert.Equal(first.LeftVectors.Row(i).ToArray(), second.LeftVectors.Row(i).ToArray());
        Assert.NotEqual(first.LeftVectors.Row(7).ToArray(), reseeded.LeftVectors.Row(7).ToArray());
        // A different sketch still finds the leading singular value.
        Assert.Equal(first.SingularValues[0], reseeded.SingularValues[0], 1e-3f * first.SingularValues[0]);
    }

    [Theory]
    [InlineData(0, 10, 2, 1, "the rank (dimension) must be in 1..10000, not 0")]
    [InlineData(5, -1, 2, 1, "oversampling must be in 0..1000, not -1")]
    [InlineData(5, 10, 21, 1, "power iterations must be in 0..20, not 21")]
    [InlineData(5, 10, 2, 0, "threads must be in 1..1024, not 0")]
    [InlineData(12, 10, 2, 1, "the rank (dimension) 12 must be below the matrix's size 12 × 12 (fewer dimensions than words)")]
    public void Bad_options_are_rejected_with_a_message(int rank, int oversampling, int powerIterations, int threads, string message)
    {
        var dense = new double[12, 12];
        for (int i = 0; i < 12; i++) dense[i, i] = 1;
        var options = new RandomizedSvdOptions { Rank = rank, Oversampling = oversampling, PowerIterations = powerIterations, Threads = threads };
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => RandomizedSvd.Compute(Sparse(dense), options)).Message);
    }

    [Fact]
    public void The_test_matrix_has_standard_normal_entries_and_depends_only_on_its_seed()
    {
        // An odd column count: the last Box–Muller pair of each row is half used.
        using var first = GaussianMatrix.Create(200, 101, seed: 4);
        using var again = GaussianMatrix.Create(200, 101, seed: 4);
        double sum = 0, squares = 0;
        int beyondTwo = 0, count = 200 * 101;
        for (int r = 0; r < 200; r++)
        {
            Assert.Equal(first.Row(r).ToArray(), again.Row(r).ToArray());
            foreach (float x in first.Row(r))
            {
                sum += x;
                squares += x * x;
                if (Math.Abs(x) > 2) beyondTwo++;
            }
        }
        // Mean and variance of 20,200 draws are within a few standard errors (0.007 and 0.01) of 0 and 1;
        // 4.55% of a standard normal lies beyond ±2.
        Assert.Equal(0, sum / count, 0.03);
        Assert.Equal(1, squares / count - Math.Pow(sum / count, 2), 0.04);
        Assert.InRange(beyondTwo / (double)count, 0.04, 0.051);
    }
}
