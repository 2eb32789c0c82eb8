namespace EmbedEngine.Text;

/// <summary>What a run of <see cref="CooccurrenceCounter"/> did.</summary>
/// <param name="NonZeros">Distinct word pairs in the matrix.</param>
/// <param name="SpilledRuns">Sorted runs written to disk because the tables reached the memory budget (0: none).</param>
/// <param name="PeakTableBytes">The most bytes the counting tables of all threads held (their largest sizes, summed).</param>
public sealed record CooccurrenceStatistics(long NonZeros, int SpilledRuns, long PeakTableBytes);
