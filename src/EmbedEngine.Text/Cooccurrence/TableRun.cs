namespace EmbedEngine.Text;

/// <summary>The sorted front of a <see cref="PairTable"/>'s arrays (see <see cref="PairTable.Sort"/>).</summary>
internal sealed class TableRun(ulong[] keys, double[] sums, int count) : PairRun
{
    private int _next;

    public override long Length => count;

    public override bool MoveNext()
    {
        if (_next == count) return false;
        Key = keys[_next];
        Sum = sums[_next];
        _next++;
        return true;
    }

    public override void Dispose()
    {
        // The arrays belong to the table.
    }
}
