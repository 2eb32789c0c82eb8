using EmbedEngine.Kernels;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.Tests.Training;

/// <summary>
/// <see cref="StagedRows"/>: each worker's changes to its copy reach the shared rows whole at its merge, the other
/// workers' merged changes come back with it, and the rows past the copy are the shared ones.
/// </summary>
public sealed unsafe class StagedRowsTests
{
    private const int Columns = 5;

    [Fact]
    public void Merges_add_each_copys_changes_and_bring_back_the_others()
    {
        using NativeMatrix shared = Counting(rows: 10);
        var gate = new Lock();
        var first = new StagedRows(shared, rows: 4, updatesPerMerge: 100, gate);
        var second = new StagedRows(shared, rows: 4, updatesPerMerge: 100, gate);

        Add(first.Rows.Row(1), 1f);
        Add(second.Rows.Row(1), 2f);
        Add(second.Rows.Row(3), 5f);
        Add(first.Rows.Row(6), 0.5f); // past the copy: the shared row itself
        Assert.Equal(Original(1), Values(shared.RowPointer(1)));
        Assert.Equal(Shifted(Original(6), 0.5f), Values(shared.RowPointer(6)));

        first.Merge();
        Assert.Equal(Shifted(Original(1), 1f), Values(shared.RowPointer(1)));
        second.Merge();
        Assert.Equal(Shifted(Original(1), 3f), Values(shared.RowPointer(1)));
        Assert.Equal(Shifted(Original(3), 5f), Values(shared.RowPointer(3)));
        Assert.Equal(Shifted(Original(1), 3f), Values(second.Rows.Row(1)));
        Assert.Equal(Shifted(Original(1), 1f), Values(first.Rows.Row(1)));

        first.Merge(); // nothing new in its copy: the shared rows stay, the copy catches up
        Assert.Equal(Shifted(Original(1), 3f), Values(shared.RowPointer(1)));
        Assert.Equal(Shifted(Original(3), 5f), Values(first.Rows.Row(3)));
        Assert.Equal(Original(0), Values(shared.RowPointer(0)));
    }

    [Fact]
    public void A_copy_of_many_blocks_merges_every_row_its_last_block_included()
    {
        const int rows = 1_001; // 1,001 rows of 16 floats: the merge's blocks of 4,096 and a short last one
        using NativeMatrix shared = Counting(rows);
        var gate = new Lock();
        var first = new StagedRows(shared, rows, updatesPerMerge: 100, gate);
        var second = new StagedRows(shared, rows, updatesPerMerge: 100, gate);
        int[] changed = [0, 255, 256, 511, 700, rows - 1];
        foreach (int row in changed)
        {
            Add(first.Rows.Row(row), 1f);
            Add(second.Rows.Row(row), 0.25f);
        }

        first.Merge();
        second.Merge();

        for (int row = 0; row < rows; row++)
        {
            float[] expected = changed.Contains(row) ? Shifted(Original(row), 1.25f) : Original(row);
            Assert.Equal(expected, Values(shared.RowPointer(row)));
            Assert.Equal(expected, Values(second.Rows.Row(row)));
        }
    }

    [Fact]
    public void A_merge_falls_due_after_the_updates_per_merge()
    {
        using NativeMatrix shared = Counting(rows: 3);
        var staged = new StagedRows(shared, rows: 8, updatesPerMerge: 100, new Lock());
        Assert.Equal(3, staged.Count);

        Add(staged.Rows.Row(2), 1f);
        staged.CountUpdates(99);
        Assert.Equal(Original(2), Values(shared.RowPointer(2)));
        staged.CountUpdates(1);
        Assert.Equal(Shifted(Original(2), 1f), Values(shared.RowPointer(2)));
    }

    [Fact]
    public void Empty_copies_and_merges_are_refused()
    {
        using NativeMatrix shared = Counting(rows: 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => new StagedRows(shared, rows: 0, updatesPerMerge: 100, new Lock()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StagedRows(shared, rows: 2, updatesPerMerge: 0, new Lock()));
    }

    [Fact]
    public void The_budget_holds_two_copies_a_thread()
    {
        float anywhere = 0;
        // Never read: Affordable looks at the shape only.
        using NativeMatrix large = NativeMatrix.Wrap(&anywhere, rows: 100_000, columns: 200, stride: 208, owner: null);
        Assert.Equal(StagedRows.BudgetBytes / (2 * 2 * 208 * 4), StagedRows.Affordable(large, threads: 2));
        Assert.Equal(20_164, StagedRows.Affordable(large, threads: 2));
        Assert.Equal(2_520, StagedRows.Affordable(large, threads: 16));
        using NativeMatrix small = Counting(rows: 3);
        Assert.Equal(3, StagedRows.Affordable(small, threads: 2));
    }

    /// <summary>Row r holds r·10 + c, padded to a cache line as the trainers' output matrices are.</summary>
    private static NativeMatrix Counting(int rows)
    {
        NativeMatrix matrix = NativeMatrix.Allocate(rows, Columns, padRows: true);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < Columns; c++) matrix.Row(r)[c] = Original(r)[c];
        return matrix;
    }

    private static float[] Original(int row) => [.. Enumerable.Range(0, Columns).Select(c => row * 10f + c)];

    private static float[] Shifted(float[] values, float by) => Array.ConvertAll(values, v => v + by);

    private static float[] Values(float* row) => new ReadOnlySpan<float>(row, Columns).ToArray();

    private static void Add(float* row, float value)
    {
        for (int c = 0; c < Columns; c++) row[c] += value;
    }
}
