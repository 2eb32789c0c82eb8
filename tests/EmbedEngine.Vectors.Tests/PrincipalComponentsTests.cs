namespace EmbedEngine.Vectors.Tests;

public class PrincipalComponentsTests
{
    [Fact]
    public void Points_on_a_line_project_to_their_positions_along_it()
    {
        // x = (1, 2, 2)·t/3 + (5, 5, 5): all variance on one unit direction, coordinates t − mean(t) up to sign.
        float[] t = [-3, 0, 1, 2, 6];
        float[][] rows = [.. t.Select(v => new[] { 5 + v / 3f, 5 + 2 * v / 3f, 5 + 2 * v / 3f })];
        (double[][] coordinates, double[] share) = PrincipalComponents.Project(rows, 2);
        Assert.Equal(1, share[0], 5);
        Assert.Equal(0, share[1], 5);
        double sign = Math.Sign(coordinates[4][0]);
        double mean = t.Average();
        for (int i = 0; i < t.Length; i++)
        {
            Assert.Equal(t[i] - mean, sign * coordinates[i][0], 4);
            Assert.Equal(0, coordinates[i][1], 4);
        }
    }

    [Fact]
    public void Too_few_or_ragged_vectors_are_refused()
    {
        Assert.Contains("at least two", Assert.Throws<ArgumentException>(() => PrincipalComponents.Project([[1f, 2f]], 2)).Message, StringComparison.Ordinal);
        Assert.Contains("differ in length", Assert.Throws<ArgumentException>(() => PrincipalComponents.Project([[1f, 2f], [1f]], 2)).Message, StringComparison.Ordinal);
    }
}
