using System.Collections.Concurrent;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Training;

/// <summary>
/// Streams the corpus once per epoch on its own thread, encodes it to word ids and hands chunks to the
/// workers through a bounded queue. One reader serves any number of workers and works for gzip input, which
/// cannot be split into byte ranges the way word2vec.c splits a plain file.
/// </summary>
public sealed class SentenceFeeder : IDisposable
{
    /// <summary>Ids per chunk: enough to amortize the hand-over, small enough that queued chunks stay a few MB.</summary>
    private const int ChunkCapacity = 1 << 14;

    private readonly BlockingCollection<SentenceChunk> _full;
    private readonly ConcurrentBag<SentenceChunk> _empty = [];
    private readonly Thread _thread;
    private readonly string _corpusPath;
    private readonly Vocabulary _vocabulary;
    private readonly int _epochs;
    private readonly int _maxSentenceLength;
    private readonly CancellationTokenSource _stop = new();
    private Exception? _failure;

    /// <summary>Starts reading <paramref name="epochs"/> passes over the corpus in the background.</summary>
    public SentenceFeeder(string corpusPath, Vocabulary vocabulary, int epochs, int maxSentenceLength, int workers)
    {
        _corpusPath = corpusPath;
        _vocabulary = vocabulary;
        _epochs = epochs;
        _maxSentenceLength = maxSentenceLength;
        _full = new BlockingCollection<SentenceChunk>(boundedCapacity: 2 * workers + 2);
        _thread = new Thread(ReadAll) { IsBackground = true, Name = "corpus reader" };
        _thread.Start();
    }

    /// <summary>Invalid UTF-8 sequences replaced so far (all epochs).</summary>
    public long InvalidSequences { get; private set; }

    /// <summary>
    /// Takes the next chunk, blocking while the reader is behind; false when the corpus is exhausted.
    /// Rethrows a reader failure on the worker that asks next.
    /// </summary>
    public bool TryTake(out SentenceChunk chunk)
    {
        bool taken = _full.TryTake(out chunk!, Timeout.Infinite);
        if (!taken && _failure != null) throw new CorpusException(_failure.Message, _failure);
        return taken;
    }

    /// <summary>Gives a processed chunk back for reuse.</summary>
    public void Return(SentenceChunk chunk)
    {
        chunk.Clear();
        _empty.Add(chunk);
    }

    /// <summary>Stops the reader thread and waits for it.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        while (_full.TryTake(out _)) { }
        _thread.Join();
        _full.Dispose();
        _stop.Dispose();
    }

    private void ReadAll()
    {
        try
        {
            for (int epoch = 0; epoch < _epochs && !_stop.IsCancellationRequested; epoch++)
                ReadEpoch(epoch);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or CorpusException or InvalidDataException)
        {
            _failure = e;
        }
        finally
        {
            _full.CompleteAdding();
        }
    }

    private void ReadEpoch(int epoch)
    {
        using var reader = new SentenceReader(_corpusPath, _vocabulary, _maxSentenceLength);
        SentenceChunk chunk = Rent(epoch);
        while (true)
        {
            int length = reader.Read(chunk.FreeSpace, out _);
            if (length < 0) break;
            if (length == 0) continue;
            chunk.CommitSentence(length);
            if (!chunk.HasRoomForSentence)
            {
                _full.Add(chunk, _stop.Token);
                chunk = Rent(epoch);
            }
        }
        InvalidSequences += reader.InvalidSequences;
        if (chunk.SentenceCount > 0) _full.Add(chunk, _stop.Token);
        else _empty.Add(chunk);
    }

    private SentenceChunk Rent(int epoch)
    {
        if (!_empty.TryTake(out SentenceChunk? chunk)) chunk = new SentenceChunk(ChunkCapacity, _maxSentenceLength);
        chunk.Epoch = epoch;
        return chunk;
    }
}
