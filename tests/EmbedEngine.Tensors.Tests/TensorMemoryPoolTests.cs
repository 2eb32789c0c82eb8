using EmbedEngine.Tensors;

namespace EmbedEngine.Tensors.Tests;

public class TensorMemoryPoolTests
{
    [Fact]
    public void A_returned_block_is_reused_for_the_same_size_class_and_every_block_is_aligned()
    {
        using var pool = new TensorMemoryPool();
        (nint first, int capacity) = pool.Rent(100);
        Assert.Equal(128, capacity);
        Assert.Equal(0, first % TensorMemoryPool.Alignment);
        Assert.Equal(512, pool.BytesInUse);
        pool.Return(first, capacity);
        Assert.Equal(0, pool.BytesInUse);
        (nint second, _) = pool.Rent(65);
        Assert.Equal(first, second);
        (nint other, int otherCapacity) = pool.Rent(129);
        Assert.Equal(256, otherCapacity);
        Assert.NotEqual(first, other);
        Assert.Equal(0, other % TensorMemoryPool.Alignment);
        pool.Return(second, capacity);
        pool.Return(other, otherCapacity);
        Assert.Equal(1536, pool.BytesHeld);
        pool.Trim();
        Assert.Equal(0, pool.BytesHeld);
    }
}
