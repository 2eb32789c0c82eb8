namespace EmbedEngine.Kernels.Tests;

public class SymmetricEigenTests
{
    [Fact]
    public void Finds_the_leading_eigenpairs_of_a_rotated_diagonal_matrix()
    {
        // A = Q diag(5, 2, 0.5) Qᵀ with Q a rotation about the z axis by 30°: eigenvectors are Q's columns.
        double c = Math.Cos(Math.PI / 6), s = Math.Sin(Math.PI / 6);
        double[][] q = [[c, s, 0], [-s, c, 0], [0, 0, 1]]; // rows are the eigenvectors
        double[] lambda = [5, 2, 0.5];
        var a = new double[9];
        for (int k = 0; k < 3; k++)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++) a[i * 3 + j] += lambda[k] * q[k][i] * q[k][j];
        (double[][] vectors, double[] values) = SymmetricEigen.Leading(a, 3, 2, maxIterations: 2000, tolerance: 1e-12);
        Assert.Equal(5, values[0], 9);
        Assert.Equal(2, values[1], 9);
        for (int k = 0; k < 2; k++)
        {
            double dot = vectors[k].Zip(q[k], (x, y) => x * y).Sum();
            Assert.Equal(1, Math.Abs(dot), 9); // equal up to sign
        }
    }

    [Fact]
    public void A_zero_matrix_gives_zero_vectors()
    {
        (double[][] vectors, double[] values) = SymmetricEigen.Leading(new double[4], 2, 1);
        Assert.Equal([0.0, 0.0], vectors[0]);
        Assert.Equal(0, values[0]);
    }
}
