namespace EmbedEngine.Evaluation.Multimodal;

/// <summary>A smooth function to minimize: returns f(x) and writes ∇f(x) to <paramref name="gradient"/>.</summary>
internal delegate double DifferentiableFunction(ReadOnlySpan<double> x, Span<double> gradient);

/// <summary>How a minimization ended.</summary>
/// <param name="Iterations">Steps taken.</param>
/// <param name="Loss">f at the final point.</param>
/// <param name="GradientNorm">‖∇f‖∞ at the final point.</param>
/// <param name="Converged">Whether the gradient fell to the tolerance (not: the step limit ran out, or no step along
/// the search direction lowered f any more, which happens once rounding dominates).</param>
internal readonly record struct LbfgsResult(int Iterations, double Loss, double GradientNorm, bool Converged);

/// <summary>
/// Limited-memory BFGS (Nocedal &amp; Wright, Algorithm 7.4 and 7.5): the two-loop recursion turns the last m
/// correction pairs (s, y) into a quasi-Newton direction, scaled by sᵀy / yᵀy of the newest pair, and a backtracking
/// line search halves the step from 1 until the Armijo condition f(x + t·p) ≤ f(x) + c₁·t·∇fᵀp holds. A pair with
/// sᵀy ≤ 0 (possible without the Wolfe curvature condition) is skipped, so the implicit Hessian stays positive definite.
/// </summary>
internal static class Lbfgs
{
    /// <summary>c₁ of the Armijo condition, the customary value.</summary>
    private const double SufficientDecrease = 1e-4;

    /// <summary>Halvings before giving up on a direction: 2⁻⁴⁰ ≈ 1e-12 of the initial step.</summary>
    private const int MaxHalvings = 40;

    /// <summary>Minimizes <paramref name="f"/> from <paramref name="x"/>, which is updated in place.</summary>
    public static LbfgsResult Minimize(DifferentiableFunction f, double[] x, int maxIterations, double tolerance, int history)
    {
        int size = x.Length;
        var gradient = new double[size];
        var direction = new double[size];
        var trial = new double[size];
        var trialGradient = new double[size];
        var newS = new double[size];
        var newY = new double[size];
        var s = new double[history][];
        var y = new double[history][];
        var rho = new double[history];
        var alpha = new double[history];
        int stored = 0, newest = -1;

        double loss = f(x, gradient);
        int iteration = 0;
        while (true)
        {
            double gradientNorm = MaxAbs(gradient);
            if (gradientNorm <= tolerance) return new LbfgsResult(iteration, loss, gradientNorm, true);
            if (iteration >= maxIterations) return new LbfgsResult(iteration, loss, gradientNorm, false);

            Direction(gradient, s, y, rho, alpha, stored, newest, direction);
            double slope = Dot(gradient, direction);
            if (stored == 0 || !(slope < 0))
            {
                // Steepest descent, scaled so the first trial moves x by at most 1 (the gradient's size is arbitrary).
                stored = 0;
                double scale = 1 / Math.Max(1, Math.Sqrt(Dot(gradient, gradient)));
                for (int i = 0; i < size; i++) direction[i] = -scale * gradient[i];
                slope = Dot(gradient, direction);
            }

            double step = 1, trialLoss = double.NaN;
            int halvings = 0;
            for (; halvings <= MaxHalvings; halvings++, step *= 0.5)
            {
                for (int i = 0; i < size; i++) trial[i] = x[i] + step * direction[i];
                trialLoss = f(trial, trialGradient);
                if (trialLoss <= loss + SufficientDecrease * step * slope) break;
            }
            if (halvings > MaxHalvings) return new LbfgsResult(iteration, loss, gradientNorm, false);

            for (int i = 0; i < size; i++)
            {
                newS[i] = trial[i] - x[i];
                newY[i] = trialGradient[i] - gradient[i];
            }
            double curvature = Dot(newS, newY);
            if (curvature > 0)
            {
                // The pair takes the oldest slot; that slot's arrays become the scratch of the next step.
                int slot = (newest + 1) % history;
                (s[slot], newS) = (newS, s[slot] ?? new double[size]);
                (y[slot], newY) = (newY, y[slot] ?? new double[size]);
                rho[slot] = 1 / curvature;
                newest = slot;
                stored = Math.Min(stored + 1, history);
            }
            Array.Copy(trial, x, size);
            Array.Copy(trialGradient, gradient, size);
            loss = trialLoss;
            iteration++;
        }
    }

    /// <summary>The two-loop recursion: direction = −H·gradient for the stored pairs, newest at <paramref name="newest"/>.</summary>
    private static void Direction(double[] gradient, double[][] s, double[][] y, double[] rho, double[] alpha, int stored,
        int newest, double[] direction)
    {
        int history = s.Length;
        Array.Copy(gradient, direction, gradient.Length);
        if (stored == 0) return;
        for (int k = 0; k < stored; k++)
        {
            int i = (newest - k + history) % history;
            alpha[i] = rho[i] * Dot(s[i], direction);
            Axpy(-alpha[i], y[i], direction);
        }
        double gamma = Dot(s[newest], y[newest]) / Dot(y[newest], y[newest]);
        for (int j = 0; j < direction.Length; j++) direction[j] *= gamma;
        for (int k = stored - 1; k >= 0; k--)
        {
            int i = (newest - k + history) % history;
            double beta = rho[i] * Dot(y[i], direction);
            Axpy(alpha[i] - beta, s[i], direction);
        }
        for (int j = 0; j < direction.Length; j++) direction[j] = -direction[j];
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static void Axpy(double a, double[] x, double[] y)
    {
        for (int i = 0; i < y.Length; i++) y[i] += a * x[i];
    }

    private static double MaxAbs(double[] values)
    {
        double max = 0;
        foreach (double value in values) max = Math.Max(max, Math.Abs(value));
        return max;
    }
}
