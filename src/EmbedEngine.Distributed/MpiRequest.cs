using System.Buffers;

namespace EmbedEngine.Distributed;

/// <summary>A non-blocking send, receive or sum in flight; <see cref="Wait"/> completes it and unpins its memory.</summary>
public sealed class MpiRequest : IDisposable
{
    private readonly MpiWorld _world;
    private nint _request;
    private MemoryHandle _pinned;
    private bool _done;

    internal MpiRequest(MpiWorld world, nint request, MemoryHandle pinned)
    {
        _world = world;
        _request = request;
        _pinned = pinned;
    }

    /// <summary>Blocks until the transfer is complete.</summary>
    public void Wait()
    {
        if (_done) return;
        _world.WaitFor(ref _request);
        _done = true;
        _pinned.Dispose();
    }

    /// <summary>Whether the transfer is complete (then its memory is unpinned); moves it on if not.</summary>
    public bool Test()
    {
        if (_done) return true;
        if (!_world.TestFor(ref _request)) return false;
        _done = true;
        _pinned.Dispose();
        return true;
    }

    /// <summary>Waits for the transfer, so its memory is never unpinned while MPI still uses it.</summary>
    public void Dispose() => Wait();
}
