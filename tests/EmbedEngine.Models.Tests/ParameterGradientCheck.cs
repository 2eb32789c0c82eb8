using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Autograd;
using EmbedEngine.Tensors.Modules;

namespace EmbedEngine.Models.Tests;

/// <summary>
/// Central differences of a whole model's loss, in float, against backward for the largest-gradient element and two
/// random elements of every parameter tensor. The tolerance passes the float differences and fails a sign error
/// (checked on each tensor's largest element).
/// </summary>
internal static class ParameterGradientCheck
{
    /// <summary>Runs the check on <paramref name="model"/>, whose loss <paramref name="loss"/> computes (the same value on every call).</summary>
    public static void Check(Module model, Func<Tensor> loss, Action<string> log, float step = 1e-2f, double relative = 0.01, double absolute = 5e-5)
    {
        double Loss()
        {
            double value;
            using (Graph.NoGrad()) value = loss().Item();
            Graph.Current.Release();
            return value;
        }

        double baseline = Loss();
        Tensor recorded = loss();
        Assert.Equal(baseline, recorded.Item(), 6);
        recorded.Backward();

        bool Agrees(double analytic, double numeric) => Math.Abs(analytic - numeric) <= relative * Math.Max(Math.Abs(analytic), Math.Abs(numeric)) + absolute;
        var pick = new Random(5);
        int checkedElements = 0;
        foreach (var (name, parameter) in model.NamedParameters())
        {
            float[] gradient = parameter.Grad!.ToArray();
            int largest = 0;
            for (int j = 1; j < gradient.Length; j++)
                if (Math.Abs(gradient[j]) > Math.Abs(gradient[largest])) largest = j;
            int[] elements = [largest, pick.Next(gradient.Length), pick.Next(gradient.Length)];
            foreach (int j in elements)
            {
                Span<float> values = parameter.AsSpan();
                float saved = values[j];
                values[j] = saved + step;
                double up = values[j], plus = Loss();
                values = parameter.AsSpan();
                values[j] = saved - step;
                double down = values[j], minus = Loss();
                parameter.AsSpan()[j] = saved;
                double numeric = (plus - minus) / (up - down);
                log($"{name}[{j}]: backward {gradient[j]:G6}, differences {numeric:G6}");
                Assert.True(Agrees(gradient[j], numeric), $"{name}[{j}]: backward gives {gradient[j]}, central differences {numeric}");
                if (j == largest)
                {
                    Assert.True(Math.Abs(numeric) > 10 * absolute, $"{name}: the largest gradient {numeric} is too small to tell a sign error");
                    Assert.False(Agrees(-gradient[j], numeric), $"{name}[{j}]: the tolerance would pass a sign error");
                }
                checkedElements++;
            }
        }
        Assert.Equal(3 * model.NamedParameters().Count, checkedElements);
        Assert.Equal(baseline, Loss(), 6);
    }
}
