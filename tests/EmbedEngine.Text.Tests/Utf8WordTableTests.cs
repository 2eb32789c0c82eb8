using System.Text;

namespace EmbedEngine.Text.Tests;

public class Utf8WordTableTests
{
    [Fact]
    public void Counts_grow_and_prune_with_renumbered_entries()
    {
        var table = new Utf8WordTable(expectedWords: 2);
        for (int i = 0; i < 10_000; i++)
        {
            // Word k occurs k % 5 + 1 times.
            for (int repeat = 0; repeat <= i % 5; repeat++) table.Increment(Encoding.UTF8.GetBytes($"word{i}"));
        }
        Assert.Equal(10_000, table.Count);

        table.RemoveBelow(4);

        Assert.Equal(4_000, table.Count);
        for (int i = 0; i < 10_000; i++)
        {
            int index = table.IndexOf(Encoding.UTF8.GetBytes($"word{i}"));
            if (i % 5 + 1 < 4)
            {
                Assert.Equal(-1, index);
                continue;
            }
            Assert.Equal($"word{i}", Encoding.UTF8.GetString(table.Word(index)));
            Assert.Equal(i % 5 + 1, table.CountOf(index));
        }
        Assert.True(table.Increment("new"u8));
        Assert.False(table.Increment("new"u8));
        Assert.Equal(2, table.CountOf(table.IndexOf("new"u8)));
    }
}
