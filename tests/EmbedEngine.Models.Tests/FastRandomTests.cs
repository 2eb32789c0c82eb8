using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.Tests;

public sealed class FastRandomTests
{
    [Fact]
    public void Floats_and_bounded_ints_are_uniform_and_in_range()
    {
        var random = new FastRandom(123);
        const int draws = 200_000, buckets = 10;
        var counts = new int[buckets];
        double sum = 0;
        for (int i = 0; i < draws; i++)
        {
            float f = random.NextFloat();
            Assert.InRange(f, 0f, 0.99999994f);
            sum += f;
            int k = random.NextInt(buckets);
            Assert.InRange(k, 0, buckets - 1);
            counts[k]++;
        }
        Assert.InRange(sum / draws, 0.495, 0.505);
        foreach (int c in counts) Assert.InRange(c, draws / buckets * 0.97, draws / buckets * 1.03);
    }

    [Fact]
    public void Equal_seeds_repeat_and_different_seeds_differ()
    {
        var a = new FastRandom(5);
        var b = new FastRandom(5);
        var c = new FastRandom(6);
        ulong first = a.NextULong();
        Assert.Equal(first, b.NextULong());
        Assert.NotEqual(first, c.NextULong());
    }

    [Fact]
    public void Shuffle_permutes_and_puts_each_item_everywhere_about_equally_often()
    {
        const int items = 5, rounds = 50_000;
        var random = new FastRandom(9);
        var positions = new int[items, items];
        for (int round = 0; round < rounds; round++)
        {
            int[] order = [0, 1, 2, 3, 4];
            random.Shuffle(order.AsSpan());
            Assert.Equal([0, 1, 2, 3, 4], order.Order());
            for (int position = 0; position < items; position++) positions[order[position], position]++;
        }
        foreach (int count in positions) Assert.InRange(count, rounds / items * 0.95, rounds / items * 1.05);
    }
}
