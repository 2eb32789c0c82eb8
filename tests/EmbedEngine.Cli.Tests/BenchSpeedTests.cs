using System.Text.Json;
using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Research;
using EmbedEngine.Kernels.Speed;
using EmbedEngine.Kernels.Variants;

namespace EmbedEngine.Cli.Tests;

/// <summary>
/// <c>embed bench speed</c> on one kernel with a tiny budget: every variant of every shape in the table and in
/// results.json, with positive, finite figures (speed itself is measured by the suite, never asserted here).
/// </summary>
public sealed class BenchSpeedTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void A_short_run_of_one_kernel_lists_every_variant_with_positive_finite_figures()
    {
        string json = _folder.File("speed.json");
        CliRun run = CliRun.Of("bench", "speed", "--kernels", "dot", "--seconds", "0.5", "-o", json);

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        string[] variants = [.. IsaDispatch.Supported.Select(i => i.ToString().ToLowerInvariant()),
            .. ExperimentalVariants.Of("Dot").Where(v => v.IsSupported).Select(v => v.Name)];
        using JsonDocument results = JsonDocument.Parse(File.ReadAllText(json));
        var rows = results.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(SpeedShapes.VectorDims.Length * variants.Length, rows.Count);
        foreach (int dim in SpeedShapes.VectorDims)
        {
            var shape = rows.Where(r => r.GetProperty("shape").GetString() == $"n={dim}").ToList();
            Assert.Equal(variants, shape.Select(r => r.GetProperty("variant").GetString()));
            Assert.Equal(1.0, shape[0].GetProperty("speed_up").GetDouble());
            foreach (JsonElement row in shape)
            {
                Assert.Equal("Dot", row.GetProperty("kernel").GetString());
                foreach (string figure in new[] { "seconds", "speed_up", "gflops", "percent_of_peak" })
                    AssertPositiveFinite(row.GetProperty(figure).GetDouble(), figure);
                string line = Assert.Single(run.Output.Split('\n'), l => l.StartsWith("Dot", StringComparison.Ordinal)
                    && l.Contains($" n={dim} ", StringComparison.Ordinal) && l.Contains($" {row.GetProperty("variant").GetString()} ", StringComparison.Ordinal));
                Assert.Contains("GFLOP/s", line, StringComparison.Ordinal);
            }
        }
        JsonElement peaks = results.RootElement.GetProperty("peaks");
        AssertPositiveFinite(peaks.GetProperty("memory_bandwidth_gbs").GetDouble(), "bandwidth");
        AssertPositiveFinite(results.RootElement.GetProperty("call_overhead_seconds").GetDouble(), "call overhead");
        if (IsaDispatch.IsSupported(Isa.Avx2)) AssertPositiveFinite(peaks.GetProperty("fma_avx2_gflops").GetDouble(), "AVX2 peak");
        if (IsaDispatch.IsSupported(Isa.Avx512)) AssertPositiveFinite(peaks.GetProperty("fma_avx512_gflops").GetDouble(), "AVX-512 peak");
        Assert.StartsWith("peaks per core: FMA AVX2 ", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pattern_that_matches_no_kernel_is_an_error_that_lists_the_kernels()
    {
        CliRun run = CliRun.Of("bench", "speed", "--kernels", "Nope*", "--seconds", "0.5");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"--kernels 'Nope*' matches no kernel of the speed suite; kernels: {string.Join(", ", SpeedCatalogue.Kernels)}.",
            run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public void The_variant_option_times_only_its_kernel_beside_the_shipped_variants()
    {
        if (!IsaDispatch.IsSupported(Isa.Avx2)) return;
        string json = _folder.File("variant.json");
        CliRun run = CliRun.Of("bench", "speed", "--variant", DotTwoChains.Name, "--seconds", "0.5", "-o", json);

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        using JsonDocument results = JsonDocument.Parse(File.ReadAllText(json));
        var rows = results.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.All(rows, r => Assert.Equal("Dot", r.GetProperty("kernel").GetString()));
        Assert.Equal(SpeedShapes.VectorDims.Length, rows.Count(r => r.GetProperty("variant").GetString() == DotTwoChains.Name));
    }

    [Fact]
    public void An_unknown_variant_is_an_error()
    {
        CliRun run = CliRun.Of("bench", "speed", "--variant", "no-such-variant", "--seconds", "0.5");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("No experimental variant 'no-such-variant'; registered: ", run.Error, StringComparison.Ordinal);
    }

    private static void AssertPositiveFinite(double value, string what) =>
        Assert.True(double.IsFinite(value) && value > 0, $"{what} is {value}");

    public void Dispose() => _folder.Dispose();
}
