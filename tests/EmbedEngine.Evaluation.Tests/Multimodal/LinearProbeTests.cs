using EmbedEngine.Evaluation.Multimodal;
using static EmbedEngine.Evaluation.Tests.Multimodal.MultimodalData;

namespace EmbedEngine.Evaluation.Tests.Multimodal;

public class LinearProbeTests
{
    [Fact]
    public void Separates_three_gaussian_classes()
    {
        var random = new Random(21);
        (EmbeddingMatrix train, int[] trainLabels) = ThreeGaussians(100, 10, random);
        (EmbeddingMatrix test, int[] testLabels) = ThreeGaussians(100, 10, random);
        LinearProbeReport report = LinearProbe.Evaluate(train, trainLabels, test, testLabels);
        Assert.True(report.TestAccuracy >= 0.95, report.Describe());
        Assert.True(report.TrainAccuracy >= 0.95, report.Describe());
        Assert.True(report.Converged, report.Describe());
        Assert.InRange(report.Iterations, 1, 499);
        Assert.Equal((3, 10, 1e-4), (report.Classes, report.Dimension, report.L2));
        Assert.Equal(report, LinearProbe.Evaluate(train, trainLabels, test, testLabels)); // deterministic
        Assert.StartsWith("linear probe: train ", report.Describe());
    }

    [Fact]
    public void The_model_is_deterministic_and_predicts_its_training_split()
    {
        var random = new Random(8);
        (EmbeddingMatrix train, int[] labels) = ThreeGaussians(40, 6, random);
        LinearProbeModel first = LinearProbe.Train(train, labels, 3), second = LinearProbe.Train(train, labels, 3);
        Assert.Equal(first.Weights, second.Weights);
        Assert.Equal(first.Bias, second.Bias);
        Assert.Equal((6, 3, 18), (first.Dimension, first.Classes, first.Weights.Length));
        Assert.True(first.GradientNorm <= new LinearProbeOptions().GradientTolerance);
        Assert.Equal(first.Accuracy(train, labels), (double)first.Predict(train).Zip(labels).Count(p => p.First == p.Second) / labels.Length);
        Assert.Equal(100 + 5 / 3.0, first.FeatureMean[0], 0.5); // shifted by 100, and class 0 (a third) by 5 more
    }

    [Fact]
    public void The_gradient_matches_finite_differences()
    {
        const int N = 20, D = 4, C = 3;
        const double L2 = 0.3;
        var random = new Random(2);
        float[] features = [.. Enumerable.Range(0, N * D).Select(_ => (float)Gaussian(random))];
        int[] labels = [.. Enumerable.Range(0, N).Select(i => i % C)];
        double[] parameters = [.. Enumerable.Range(0, (D + 1) * C).Select(_ => 0.5 * Gaussian(random))];
        var objective = new SoftmaxRegressionObjective(features, N, D, labels, C, L2);
        var gradient = new double[parameters.Length];
        double loss = objective.Evaluate(parameters, gradient);

        // The loss agrees with the definition evaluated in double here.
        Assert.Equal(ReferenceLoss(features, labels, parameters, N, D, C, L2), loss, 1e-6);
        // Central differences of the double definition (h small: no float rounding in it) fix the gradient tightly;
        // the penalty makes up a large part of it (λW is about 0.15 per weight), and the biases carry none.
        const double H = 1e-5;
        var fromObjective = new double[parameters.Length];
        for (int p = 0; p < parameters.Length; p++)
        {
            double[] plus = [.. parameters], minus = [.. parameters];
            plus[p] += H;
            minus[p] -= H;
            double numeric = (ReferenceLoss(features, labels, plus, N, D, C, L2) - ReferenceLoss(features, labels, minus, N, D, C, L2)) / (2 * H);
            Assert.True(Math.Abs(numeric - gradient[p]) <= 1e-6, $"parameter {p}: analytic {gradient[p]}, numeric {numeric}");

            // Central differences of the objective itself: its logits pass through float, so a larger step and tolerance.
            const double Coarse = 1e-2;
            plus = [.. parameters];
            minus = [.. parameters];
            plus[p] += Coarse;
            minus[p] -= Coarse;
            var scratch = new double[parameters.Length];
            fromObjective[p] = (objective.Evaluate(plus, scratch) - objective.Evaluate(minus, scratch)) / (2 * Coarse);
            Assert.True(Math.Abs(fromObjective[p] - gradient[p]) <= 2e-4, $"parameter {p}: analytic {gradient[p]}, numeric {fromObjective[p]}");
        }
    }

    [Fact]
    public void A_larger_penalty_shrinks_the_weights_but_not_the_biases()
    {
        var random = new Random(4);
        (EmbeddingMatrix features, int[] balanced) = ThreeGaussians(60, 5, random);
        double[] norms = [.. new[] { 1e-4, 1e-2, 1 }.Select(l2 => WeightNorm(LinearProbe.Train(features, balanced, 3, new() { L2 = l2 })))];
        Assert.True(norms[0] > norms[1] && norms[1] > norms[2], string.Join(", ", norms));

        // Under a huge penalty the weights vanish and the unpenalized biases fit the class priors: softmax(b) = 6:3:1.
        int[] skewed = [.. Enumerable.Range(0, features.Rows).Select(i => (i % 10) switch { < 6 => 0, < 9 => 1, _ => 2 })];
        LinearProbeModel model = LinearProbe.Train(features, skewed, 3, new() { L2 = 1e3 });
        Assert.True(model.Converged);
        Assert.True(WeightNorm(model) < 1e-3, $"|W| = {WeightNorm(model)}");
        double[] exp = [.. model.Bias.Select(b => Math.Exp(b))];
        Assert.Equal([0.6, 0.3, 0.1], exp.Select(e => Math.Round(e / exp.Sum(), 4)));
    }

    [Fact]
    public void Stops_at_the_iteration_limit()
    {
        (EmbeddingMatrix features, int[] labels) = ThreeGaussians(20, 4, new Random(1));
        LinearProbeModel model = LinearProbe.Train(features, labels, 3, new() { MaxIterations = 3, GradientTolerance = 0 });
        Assert.Equal(3, model.Iterations);
        Assert.False(model.Converged);
    }

    [Fact]
    public void A_constant_feature_is_left_at_zero_instead_of_divided_by_zero()
    {
        (EmbeddingMatrix features, int[] labels) = ThreeGaussians(30, 4, new Random(6));
        float[] data = [.. features.Data];
        for (int i = 0; i < features.Rows; i++) data[i * 4 + 3] = 7;
        LinearProbeModel model = LinearProbe.Train(new EmbeddingMatrix(data, features.Rows, 4), labels, 3);
        Assert.Equal(1f, model.FeatureDeviation[3]);
        Assert.All(model.Weights, w => Assert.True(float.IsFinite(w)));
        Assert.Equal(0f, model.Weights[3 * 3]); // no gradient ever reaches it, and the penalty keeps it at 0
    }

    [Fact]
    public void Bad_input_is_refused_with_a_clear_message()
    {
        (EmbeddingMatrix features, int[] labels) = ThreeGaussians(5, 4, new Random(1));
        var e = Assert.Throws<ArgumentException>(() => LinearProbe.Train(features, labels, 2));
        Assert.Contains("labels must lie in [0, 2)", e.Message);
        e = Assert.Throws<ArgumentException>(() => LinearProbe.Evaluate(features, labels, features, [.. labels.Select(l => l - 1)]));
        Assert.Contains("Label 0 of 'testLabels' is -1; labels must be non-negative", e.Message);
        e = Assert.Throws<ArgumentException>(() => LinearProbe.Evaluate(features, labels, Matrix([1, 2, 3]), [0]));
        Assert.Contains("'train' has dimension 4 but 'test' has dimension 3", e.Message);
        Assert.Throws<ArgumentException>(() => LinearProbe.Evaluate(features, labels.AsSpan(0, 3), features, labels));
        Assert.Throws<ArgumentException>(() => LinearProbe.Train(features, labels, 3, new() { L2 = -1 }));
        Assert.Throws<ArgumentException>(() => LinearProbe.Train(features, labels, 3, new() { History = 0 }));
        LinearProbeModel model = LinearProbe.Train(features, labels, 3);
        Assert.Throws<ArgumentException>(() => model.Predict(Matrix([1, 2, 3])));
    }

    private static double ReferenceLoss(float[] x, int[] labels, double[] parameters, int n, int d, int c, double l2)
    {
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            var z = new double[c];
            for (int k = 0; k < c; k++)
            {
                z[k] = parameters[d * c + k];
                for (int j = 0; j < d; j++) z[k] += x[i * d + j] * parameters[j * c + k];
            }
            double max = z.Max();
            total += max + Math.Log(z.Sum(v => Math.Exp(v - max))) - z[labels[i]];
        }
        double squares = parameters.Take(d * c).Sum(w => w * w);
        return total / n + l2 / 2 * squares;
    }

    private static double WeightNorm(LinearProbeModel model) => Math.Sqrt(model.Weights.Sum(w => (double)w * w));
}
