using EmbedEngine.Kernels.Dense;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// Every backward formula of the dense kernels against central finite differences of an independent double-precision
/// forward pass: for L = Σ dy ⊙ f(x), the scalar reference's dx must match (L(x + h) − L(x − h)) / 2h per input.
/// </summary>
public class GradientCheckTests
{
    private const int Rows = 3, Columns = 7;

    /// <summary>Step of the central difference: its truncation error (h²) is far below float rounding.</summary>
    private const double H = 1e-5;

    /// <summary>The float kernels' rounding on values of order one, with room for a few operations.</summary>
    private const double Tolerance = 2e-5;

    private static readonly Random Rng = new(5);

    private static float[] Draw(int count, double scale = 2)
    {
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float)((Rng.NextDouble() * 2 - 1) * scale);
        return v;
    }

    /// <summary>∂(Σ dy ⊙ f(x))/∂x by central differences of <paramref name="forward"/> in double.</summary>
    private static double[] Numerical(float[] x, float[] dy, Func<double[], double[]> forward)
    {
        double[] at = Array.ConvertAll(x, v => (double)v);
        var grad = new double[x.Length];
        for (int j = 0; j < x.Length; j++)
        {
            double keep = at[j];
            at[j] = keep + H;
            double up = Weighted(forward(at), dy);
            at[j] = keep - H;
            double down = Weighted(forward(at), dy);
            at[j] = keep;
            grad[j] = (up - down) / (2 * H);
        }
        return grad;
    }

    private static double Weighted(double[] y, float[] dy)
    {
        double sum = 0;
        for (int i = 0; i < y.Length; i++) sum += dy[i] * y[i];
        return sum;
    }

    private static void AssertClose(double[] expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance * (1 + Math.Abs(expected[i])),
                $"{what}[{i}]: finite difference {expected[i]:R}, kernel {actual[i]:R}");
    }

    private static double[] RowWise(double[] x, Func<double[], double[]> row)
    {
        var y = new double[x.Length];
        for (int r = 0; r < x.Length / Columns; r++) row(x[(r * Columns)..((r + 1) * Columns)]).CopyTo(y, r * Columns);
        return y;
    }

    internal static double[] SoftmaxRow(double[] x)
    {
        double max = x.Max(), sum = x.Sum(v => Math.Exp(v - max));
        return Array.ConvertAll(x, v => Math.Exp(v - max) / sum);
    }

    internal static double Gelu(double x) => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));

    [Fact]
    public void Softmax_backward_matches_finite_differences()
    {
        float[] x = Draw(Rows * Columns), dy = Draw(x.Length), y = new float[x.Length], dx = new float[x.Length];
        SoftmaxKernel.ForwardScalar(x, y, Columns);
        SoftmaxKernel.BackwardScalar(y, dy, dx, Columns);
        AssertClose(Numerical(x, dy, a => RowWise(a, SoftmaxRow)), dx, "softmax dx");
    }

    [Fact]
    public void Log_softmax_backward_matches_finite_differences()
    {
        float[] x = Draw(Rows * Columns), dy = Draw(x.Length), y = new float[x.Length], dx = new float[x.Length];
        LogSoftmaxKernel.ForwardScalar(x, y, Columns);
        LogSoftmaxKernel.BackwardScalar(y, dy, dx, Columns);
        AssertClose(Numerical(x, dy, a => RowWise(a, r => Array.ConvertAll(SoftmaxRow(r), Math.Log))), dx, "log-softmax dx");
    }

    [Fact]
    public void Layer_norm_backward_matches_finite_differences_for_x_gamma_and_beta()
    {
        const float epsilon = 1e-5f;
        float[] x = Draw(Rows * Columns), gamma = Draw(Columns), beta = Draw(Columns), dy = Draw(x.Length);
        float[] y = new float[x.Length], mean = new float[Rows], rstd = new float[Rows], dx = new float[x.Length];
        float[] dGamma = new float[Columns], dBeta = new float[Columns];
        LayerNormKernel.ForwardScalar(x, gamma, beta, epsilon, y, mean, rstd);
        LayerNormKernel.BackwardScalar(x, gamma, mean, rstd, dy, dx, dGamma, dBeta);

        double[] Forward(double[] xs, double[] g, double[] b) => RowWise(xs, row =>
        {
            double mu = row.Average(), variance = row.Sum(v => (v - mu) * (v - mu)) / Columns, s = 1 / Math.Sqrt(variance + epsilon);
            var o = new double[Columns];
            for (int c = 0; c < Columns; c++) o[c] = (row[c] - mu) * s * g[c] + b[c];
            return o;
        });
        double[] g0 = Array.ConvertAll(gamma, v => (double)v), b0 = Array.ConvertAll(beta, v => (double)v);
        double[] x0 = Array.ConvertAll(x, v => (double)v);
        AssertClose(Numerical(x, dy, a => Forward(a, g0, b0)), dx, "layer norm dx");
        AssertClose(Numerical(gamma, dy, a => Forward(x0, a, b0)), dGamma, "layer norm dgamma");
        AssertClose(Numerical(beta, dy, a => Forward(x0, g0, a)), dBeta, "layer norm dbeta");
        for (int r = 0; r < Rows; r++) Assert.Equal(x[(r * Columns)..((r + 1) * Columns)].Average(), mean[r], 5);
    }

    [Fact]
    public void Gelu_backward_matches_finite_differences()
    {
        float[] x = Draw(40, 5), dy = Draw(x.Length), dx = new float[x.Length];
        GeluKernel.BackwardScalar(x, dy, dx);
        AssertClose(Numerical(x, dy, a => Array.ConvertAll(a, Gelu)), dx, "gelu dx");
    }

    [Fact]
    public void Tanh_backward_matches_finite_differences()
    {
        float[] x = Draw(40, 3), dy = Draw(x.Length), y = new float[x.Length], dx = new float[x.Length];
        TanhKernel.ForwardScalar(x, y);
        TanhKernel.BackwardScalar(y, dy, dx);
        AssertClose(Numerical(x, dy, a => Array.ConvertAll(a, Math.Tanh)), dx, "tanh dx");
    }

    [Fact]
    public void Sigmoid_backward_matches_finite_differences()
    {
        float[] x = Draw(40, 6), dy = Draw(x.Length), y = new float[x.Length], dx = new float[x.Length];
        SigmoidKernel.ForwardScalar(x, y);
        SigmoidKernel.BackwardScalar(y, dy, dx);
        AssertClose(Numerical(x, dy, a => Array.ConvertAll(a, v => 1 / (1 + Math.Exp(-v)))), dx, "sigmoid dx");
    }

    [Fact]
    public void Relu_backward_matches_finite_differences_away_from_the_kink()
    {
        float[] x = Array.ConvertAll(Draw(40), v => v + MathF.CopySign(0.1f, v)), dy = Draw(x.Length), dx = new float[x.Length];
        ReluKernel.BackwardScalar(x, dy, dx);
        AssertClose(Numerical(x, dy, a => Array.ConvertAll(a, v => Math.Max(v, 0))), dx, "relu dx");
    }

    [Fact]
    public void Cross_entropy_gradient_matches_finite_differences_of_the_mean_loss()
    {
        float[] x = Draw(Rows * Columns);
        int[] targets = [2, CrossEntropyKernel.DefaultIgnoreIndex, 6];
        var gradient = new float[x.Length];
        CrossEntropyKernel.Scalar(x, targets, gradient, Columns, CrossEntropyKernel.DefaultIgnoreIndex);
        float[] one = [1f];
        double[] numerical = Numerical(x, one, a =>
        {
            double loss = 0;
            for (int r = 0; r < Rows; r++)
                if (targets[r] >= 0) loss -= Math.Log(SoftmaxRow(a[(r * Columns)..((r + 1) * Columns)])[targets[r]]);
            return [loss / 2];
        });
        AssertClose(numerical, gradient, "cross-entropy dlogits");
    }

    /// <summary>
    /// The LSTM cell: L = Σ dh ⊙ h + Σ dc ⊙ c over one step, so the backward step's inputs are dh and dc (as from the
    /// next step); its gate gradients and gradient into c₋₁ against differences of a double-precision cell.
    /// </summary>
    [Fact]
    public void LstmCell()
    {
        const int Size = Columns;
        float[] gates = Draw(Rows * 4 * Size, 3), previous = Draw(Rows * Size), dh = Draw(Rows * Size), dc = Draw(Rows * Size);
        double[] Cell(double[] a, double[] cp)
        {
            var outputs = new double[2 * Rows * Size];
            for (int r = 0; r < Rows; r++)
                for (int j = 0; j < Size; j++)
                {
                    int g = r * 4 * Size + j, k = r * Size + j;
                    double i = 1 / (1 + Math.Exp(-a[g])), f = 1 / (1 + Math.Exp(-a[g + Size])), z = Math.Tanh(a[g + 2 * Size]), o = 1 / (1 + Math.Exp(-a[g + 3 * Size]));
                    double c = f * cp[k] + i * z;
                    outputs[k] = o * Math.Tanh(c);
                    outputs[Rows * Size + k] = c;
                }
            return outputs;
        }
        float[] weights = [.. dh, .. dc];
        double[] previousD = Array.ConvertAll(previous, v => (double)v), gatesD = Array.ConvertAll(gates, v => (double)v);
        double[] expectedGates = Numerical(gates, weights, a => Cell(a, previousD));
        double[] expectedPrevious = Numerical(previous, weights, cp => Cell(gatesD, cp));

        float[] activated = (float[])gates.Clone(), cell = new float[previous.Length], tanhCell = new float[previous.Length], hidden = new float[previous.Length];
        LstmCellKernel.ForwardScalar(Size, activated, previous, cell, tanhCell, hidden);
        float[] cellGrad = (float[])dc.Clone(), gateGrad = new float[gates.Length];
        LstmCellKernel.BackwardScalar(Size, activated, previous, tanhCell, dh, cellGrad, gateGrad);
        AssertClose(expectedGates, gateGrad, "dgates");
        AssertClose(expectedPrevious, cellGrad, "dc_prev");
    }
}
