namespace EmbedEngine.Text;

/// <summary>How each counting thread's share of the memory budget is laid out.</summary>
/// <param name="SlotsPerThread">The most slots a thread's hash table may grow to.</param>
/// <param name="MaxProduct">The region of frequent pairs each thread counts densely (see <see cref="FrequentPairBlock"/>).</param>
internal sealed record CountingLayout(long SlotsPerThread, long MaxProduct);
