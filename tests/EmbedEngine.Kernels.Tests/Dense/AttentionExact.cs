using EmbedEngine.Kernels.Dense.Attention;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// Attention in double precision for one case, and from it the error bounds of <see cref="AttentionCase"/>'s
/// remarks. Gradients are packed [batch, length, heads, headDim]; row quantities are indexed (b·heads + h)·Tq + i.
/// </summary>
internal sealed class AttentionExact
{
    private const double U = Bounds.U;

    private readonly AttentionCase _case;
    private readonly AttentionShape _shape;
    private readonly AttentionView _q, _k, _v;
    private readonly int[] _visible;
    private readonly double[] _p, _output, _logSumExp, _scoreError, _weightError;
    private readonly double _floor;

    public AttentionExact(AttentionCase c, AttentionShape shape, AttentionView q, AttentionView k, AttentionView v)
    {
        (_case, _shape, _q, _k, _v) = (c, shape, q, k, v);
        int tq = c.Queries, tk = c.Keys, d = c.HeadDim, rows = c.Batch * c.Heads * tq;
        _visible = new int[rows];
        _p = new double[(long)rows * tk];
        _output = new double[(long)rows * d];
        _logSumExp = new double[rows];
        _scoreError = new double[rows];
        _weightError = new double[rows];
        // Weights under 2⁻¹²⁶ may flush to zero in a variant; they multiply operands of at most 1 (dP, D at most d).
        _floor = (tq + tk) * (2.0 * d + 1) * SimdMath.SmallestNormal;
        for (int b = 0; b < c.Batch; b++)
        for (int h = 0; h < c.Heads; h++)
        for (int i = 0; i < tq; i++)
        {
            int row = Row(b, h, i), visible = _visible[row] = shape.VisibleKeys(i, c.KeyLengths?[b] ?? tk);
            var s = new double[visible];
            double max = double.NegativeInfinity, absMax = 0, maxAbsDot = 0, sum = 0;
            for (int j = 0; j < visible; j++)
            {
                double dot = 0, abs = 0;
                for (int e = 0; e < d; e++)
                {
                    dot += (double)q[b, i, h, e] * k[b, j, h, e];
                    abs += Math.Abs((double)q[b, i, h, e] * k[b, j, h, e]);
                }
                s[j] = shape.Scale * dot;
                max = Math.Max(max, s[j]);
                absMax = Math.Max(absMax, Math.Abs(s[j]));
                maxAbsDot = Math.Max(maxAbsDot, shape.Scale * abs);
            }
            for (int j = 0; j < visible; j++) sum += Math.Exp(s[j] - max);
            for (int j = 0; j < visible; j++)
            {
                double p = _p[(long)row * tk + j] = Math.Exp(s[j] - max) / sum;
                for (int e = 0; e < d; e++) _output[(long)row * d + e] += p * v[b, j, h, e];
            }
            _logSumExp[row] = visible == 0 ? double.NegativeInfinity : max + Math.Log(sum);
            _scoreError[row] = Bounds.Gamma(d + 2) * maxAbsDot;
            _weightError[row] = 2 * (_scoreError[row] + 8 * U * absMax) + SimdMath.ExpNonPositiveRelativeError + Bounds.Gamma(4 * tk + 4);
        }
    }

    /// <summary>The largest s·|q·k| with s = 1, over every pair: the scale that makes it 80 makes logits of ±80.</summary>
    public static double MaxAbsDot(AttentionCase c, AttentionView q, AttentionView k)
    {
        double max = 1e-3;
        for (int b = 0; b < c.Batch; b++)
        for (int h = 0; h < c.Heads; h++)
        for (int i = 0; i < c.Queries; i++)
        for (int j = 0; j < c.Keys; j++)
        {
            double dot = 0;
            for (int e = 0; e < c.HeadDim; e++) dot += (double)q[b, i, h, e] * k[b, j, h, e];
            max = Math.Max(max, Math.Abs(dot));
        }
        return max;
    }

    /// <summary>Bound on O, packed: 2(r_i + γ(T))·Σ_j P_ij|v_jc|.</summary>
    public double[] OutputTolerance()
    {
        int d = _case.HeadDim;
        var tol = new double[_output.Length];
        ForEachRow((b, h, i, row) =>
        {
            for (int c = 0; c < d; c++)
            {
                double weighted = 0;
                for (int j = 0; j < _visible[row]; j++) weighted += P(row, j) * Math.Abs(_v[b, j, h, c]);
                tol[Packed(b, i, h, c, _case.Queries)] = 2 * (_weightError[row] + Bounds.Gamma(_case.Keys)) * weighted + _floor;
            }
        });
        return tol;
    }

    /// <summary>Bound on lse: 2(e_i + r_i) + 4u|lse_i|; a fully masked row must be −∞ exactly.</summary>
    public double[] LogSumExpTolerance() => Array.ConvertAll(Enumerable.Range(0, _logSumExp.Length).ToArray(), row =>
        _visible[row] == 0 ? 0 : 2 * (_scoreError[row] + _weightError[row]) + 4 * U * Math.Abs(_logSumExp[row]));

    /// <summary>The exact O and lse, rounded once: the backward pass's inputs.</summary>
    public void WriteForward(AttentionView output, float[] logSumExp) => ForEachRow((b, h, i, row) =>
    {
        for (int c = 0; c < _case.HeadDim; c++) output[b, i, h, c] = (float)_output[(long)row * _case.HeadDim + c];
        logSumExp[row] = (float)_logSumExp[row];
    });

    /// <summary>Bounds on dQ, dK and dV, packed (see <see cref="AttentionCase"/>'s remarks).</summary>
    public (double[] Q, double[] K, double[] V) GradientTolerances(AttentionView dOut, AttentionView output, float[] logSumExp)
    {
        int d = _case.HeadDim, tq = _case.Queries, tk = _case.Keys;
        var tolQ = new double[(long)_case.Batch * tq * _case.Heads * d];
        var tolK = new double[(long)_case.Batch * tk * _case.Heads * d];
        var tolV = new double[tolK.Length];
        ForEachRow((b, h, i, row) =>
        {
            int visible = _visible[row];
            double rho = 2 * _weightError[row] + 4 * U * Math.Abs(logSumExp[row]);
            var dp = new double[visible];
            var dpError = new double[visible];
            double delta = 0, deltaError = 0, weightedAbsDp = 0, absDotO = 0;
            for (int c = 0; c < d; c++) absDotO += Math.Abs((double)dOut[b, i, h, c] * output[b, i, h, c]);
            for (int j = 0; j < visible; j++)
            {
                double abs = 0;
                for (int c = 0; c < d; c++)
                {
                    dp[j] += (double)dOut[b, i, h, c] * _v[b, j, h, c];
                    abs += Math.Abs((double)dOut[b, i, h, c] * _v[b, j, h, c]);
                }
                dpError[j] = 2 * Bounds.Gamma(d) * abs;
                delta += P(row, j) * dp[j];
                weightedAbsDp += P(row, j) * Math.Abs(dp[j]);
                deltaError += P(row, j) * (rho * Math.Abs(dp[j]) + dpError[j]);
            }
            deltaError += 2 * Bounds.Gamma(tk) * weightedAbsDp + 2 * Bounds.Gamma(d + 1) * absDotO;
            for (int j = 0; j < visible; j++)
            {
                double p = P(row, j), ds = p * (dp[j] - delta);
                double dsError = p * ((rho + 4 * U) * Math.Abs(dp[j] - delta) + dpError[j] + deltaError);
                for (int c = 0; c < d; c++)
                {
                    tolV[Packed(b, j, h, c, tk)] += (rho + 2 * Bounds.Gamma(tq)) * p * Math.Abs(dOut[b, i, h, c]);
                    tolQ[Packed(b, i, h, c, tq)] += _shape.Scale * (dsError + 2 * Bounds.Gamma(tk + 1) * Math.Abs(ds)) * Math.Abs(_k[b, j, h, c]);
                    tolK[Packed(b, j, h, c, tk)] += _shape.Scale * (dsError + 2 * Bounds.Gamma(tq + 1) * Math.Abs(ds)) * Math.Abs(_q[b, i, h, c]);
                }
            }
        });
        foreach (double[] tol in new[] { tolQ, tolK, tolV })
            for (int n = 0; n < tol.Length; n++) tol[n] += _floor;
        return (tolQ, tolK, tolV);
    }

    private double P(int row, int key) => _p[(long)row * _case.Keys + key];

    private int Row(int b, int h, int i) => (b * _case.Heads + h) * _case.Queries + i;

    private long Packed(int b, int t, int h, int c, int length) => (((long)b * length + t) * _case.Heads + h) * _case.HeadDim + c;

    private void ForEachRow(Action<int, int, int, int> body)
    {
        for (int b = 0; b < _case.Batch; b++)
        for (int h = 0; h < _case.Heads; h++)
        for (int i = 0; i < _case.Queries; i++)
            body(b, h, i, Row(b, h, i));
    }
}
