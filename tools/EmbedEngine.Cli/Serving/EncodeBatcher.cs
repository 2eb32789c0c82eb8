using System.Threading.Channels;
using EmbedEngine.Models.Sentence;

namespace EmbedEngine.Cli.Serving;

/// <summary>
/// Gathers the texts of concurrent requests for one model into batches: a worker takes whatever is queued when it is
/// free (up to the maximum batch), encodes it in one call and hands each request its rows. No timer holds a lone
/// request back; batches grow by themselves when requests arrive faster than a batch takes. An encoder that is not
/// thread-safe gets one worker, which is what keeps its scratch state safe under concurrent requests.
/// </summary>
internal sealed class EncodeBatcher : IAsyncDisposable
{
    private readonly ISentenceEncoder _encoder;
    private readonly int _maxBatch;
    private readonly int _maxQueued;
    private readonly Channel<Job> _queue = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Task[] _workers;
    private int _queuedTexts;
    private long _batches;

    public EncodeBatcher(ISentenceEncoder encoder, ServeLimits limits)
    {
        _encoder = encoder;
        _maxBatch = limits.MaxBatch;
        _maxQueued = limits.MaxQueued;
        int workers = encoder.IsThreadSafe ? Environment.ProcessorCount : 1;
        _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync))];
    }

    /// <summary>Batches encoded since the start (for tests and the load report).</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>The vectors of <paramref name="texts"/>, row after row.</summary>
    /// <exception cref="ApiException">429 when the model's queue is full.</exception>
    public Task<float[]> EncodeAsync(IReadOnlyList<string> texts)
    {
        if (Interlocked.Add(ref _queuedTexts, texts.Count) > _maxQueued)
        {
            Interlocked.Add(ref _queuedTexts, -texts.Count);
            throw new ApiException(429, $"The model's queue holds {_maxQueued:N0} texts already; retry shortly.");
        }
        var job = new Job(texts, new TaskCompletionSource<float[]>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(job)) throw new ApiException(503, "The service is shutting down.");
        return job.Done.Task;
    }

    private async Task WorkAsync()
    {
        var batch = new List<Job>();
        var texts = new List<string>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            texts.Clear();
            // A request larger than the batch still goes whole: splitting it would only delay its own answer.
            while ((texts.Count == 0 || texts.Count < _maxBatch) && _queue.Reader.TryRead(out Job? job))
            {
                batch.Add(job);
                texts.AddRange(job.Texts);
            }
            if (batch.Count == 0) continue;
            Interlocked.Add(ref _queuedTexts, -texts.Count);
            Interlocked.Increment(ref _batches);
            try
            {
                int dimension = _encoder.Dimension;
                var vectors = new float[texts.Count * dimension];
                _encoder.EncodeBatch(texts, vectors);
                int row = 0;
                foreach (Job done in batch)
                {
                    done.Done.SetResult(vectors.AsSpan(row * dimension, done.Texts.Count * dimension).ToArray());
                    row += done.Texts.Count;
                }
            }
            catch (Exception e)
            {
                foreach (Job failed in batch) failed.Done.TrySetException(e);
            }
        }
    }

    /// <summary>Stops taking requests and waits for the queued ones.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_workers).ConfigureAwait(false);
    }

    private sealed record Job(IReadOnlyList<string> Texts, TaskCompletionSource<float[]> Done);
}
