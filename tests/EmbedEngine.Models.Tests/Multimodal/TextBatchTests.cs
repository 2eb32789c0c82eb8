using EmbedEngine.Models.Multimodal;

namespace EmbedEngine.Models.Tests.Multimodal;

public sealed class TextBatchTests
{
    [Fact]
    public void Captions_are_padded_with_end_of_text_to_the_longest()
    {
        var batch = new TextBatch([[5, 1], [2, 3, 4, 1], [1]]);
        Assert.Equal(3, batch.Batch);
        Assert.Equal(4, batch.Length);
        Assert.Equal([5, 1, 1, 1, 2, 3, 4, 1, 1, 1, 1, 1], batch.Tokens);
        Assert.Equal([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3], batch.Positions);
        // b·Length + len − 1: the caption's own end-of-text token, not the padding after it.
        Assert.Equal([0 * 4 + 2 - 1, 1 * 4 + 4 - 1, 2 * 4 + 1 - 1], batch.EndRows);
    }

    [Fact]
    public void The_captions_are_copied_not_kept()
    {
        int[] caption = [7, 1];
        var batch = new TextBatch([caption]);
        caption[0] = 9;
        Assert.Equal([7, 1], batch.Tokens);
    }

    [Fact]
    public void An_empty_batch_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new TextBatch([]));
    }

    [Fact]
    public void A_caption_not_ending_with_end_of_text_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new TextBatch([[2, 1], [2, 3]]));
        Assert.Contains("Caption 1", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new TextBatch([[2, 1], []]));
    }
}
