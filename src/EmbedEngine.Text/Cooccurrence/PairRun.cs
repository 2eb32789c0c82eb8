namespace EmbedEngine.Text;

/// <summary>
/// A stream of (key, sum) pairs in ascending key order, key = row &lt;&lt; 32 | column: one sorted table in
/// memory or one run spilled to disk. The merge reads each run once.
/// </summary>
internal abstract class PairRun : IDisposable
{
    /// <summary>The current pair's key; valid after <see cref="MoveNext"/> returned true.</summary>
    public ulong Key { get; protected set; }

    /// <summary>The current pair's summed weight.</summary>
    public double Sum { get; protected set; }

    /// <summary>How many pairs the run holds in all.</summary>
    public abstract long Length { get; }

    /// <summary>Steps to the next pair.</summary>
    /// <returns>False when the run is exhausted.</returns>
    public abstract bool MoveNext();

    /// <summary>Releases the run's file, if it has one.</summary>
    public abstract void Dispose();
}
