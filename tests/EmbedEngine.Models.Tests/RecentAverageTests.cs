using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.Tests;

public sealed class RecentAverageTests
{
    [Fact]
    public void Averages_what_was_added_since_the_last_reading_and_repeats_it_when_nothing_was()
    {
        var recent = new RecentAverage();
        Assert.True(double.IsNaN(recent.Read(0, 0)));
        Assert.Equal(2.0, recent.Read(10, 5));
        Assert.Equal(0.5, recent.Read(12, 9));
        Assert.Equal(0.5, recent.Read(12, 9));
    }
}
