using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EmbedEngine.Perf.Serving;

/// <summary>
/// <c>--serve-load URL MODEL SENTENCES [seconds] [clients…]</c>: a bounded load test of a running <c>embed serve</c>.
/// For each number of concurrent clients (1, 8, 64 by default) it posts one sentence per request to
/// <c>/v1/embeddings</c> for the given seconds, each client sending its next request when the last is answered, and
/// prints requests/s and the p50 and p99 latency. Any non-200 answer stops the run: a load test that counts errors as
/// answers measures nothing.
/// </summary>
internal static class ServeLoad
{
    /// <summary>The switch that selects this mode instead of BenchmarkDotNet.</summary>
    public const string Switch = "--serve-load";

    /// <summary>Runs the mode with the arguments after the switch.</summary>
    public static void Run(ReadOnlySpan<string> args)
    {
        if (args.Length < 3) throw new ArgumentException($"{Switch} URL MODEL SENTENCES [seconds] [clients…]");
        var address = new Uri(args[0]);
        string model = args[1];
        string[] sentences = [.. File.ReadLines(args[2]).Where(line => line.Length > 0)];
        if (sentences.Length == 0) throw new ArgumentException($"{args[2]} holds no sentences.");
        double seconds = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 10;
        int[] clientCounts = args.Length > 4 ? [.. args[4..].ToArray().Select(int.Parse)] : [1, 8, 64];
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 }) { BaseAddress = address };
        Console.WriteLine($"model {model} at {address}, {sentences.Length:N0} sentences, {seconds:F0} s per level");
        Console.WriteLine("clients | requests/s | p50 ms | p99 ms | requests");
        foreach (int clients in clientCounts)
        {
            Level(http, model, sentences, clients, TimeSpan.FromSeconds(1)); // warm-up: connections, JIT, pools
            (double rate, double p50, double p99, int count) = Level(http, model, sentences, clients, TimeSpan.FromSeconds(seconds));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clients,7} | {rate,10:F0} | {p50,6:F2} | {p99,6:F2} | {count}"));
        }
    }

    private static (double Rate, double P50, double P99, int Count) Level(HttpClient http, string model, string[] sentences, int clients, TimeSpan duration)
    {
        var latencies = new List<double>[clients];
        var clock = Stopwatch.StartNew();
        Task[] tasks = [.. Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = [];
            int next = c;
            while (clock.Elapsed < duration)
            {
                string body = JsonSerializer.Serialize(new { model, input = sentences[next % sentences.Length] });
                next += clients;
                long start = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync("/v1/embeddings", new StringContent(body, Encoding.UTF8, "application/json")).ConfigureAwait(false);
                await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"{(int)response.StatusCode} from the server: {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }))];
        Task.WaitAll(tasks);
        double elapsed = clock.Elapsed.TotalSeconds;
        double[] all = [.. latencies.SelectMany(l => l).Order()];
        return (all.Length / elapsed, Percentile(all, 0.50), Percentile(all, 0.99), all.Length);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
