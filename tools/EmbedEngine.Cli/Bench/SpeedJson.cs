using System.Text.Json;
using EmbedEngine.Kernels.Speed;

namespace EmbedEngine.Cli.Bench;

/// <summary>results.json of <c>embed bench speed</c>: the peaks and every row, times in seconds, for scripts and tracking.</summary>
internal static class SpeedJson
{
    public static void Write(Stream stream, SpeedReport report)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartObject("peaks");
        JsonResults.WriteNumber(json, "fma_avx2_gflops", report.Peaks.Avx2Gflops ?? double.NaN);
        JsonResults.WriteNumber(json, "fma_avx512_gflops", report.Peaks.Avx512Gflops ?? double.NaN);
        json.WriteNumber("memory_bandwidth_gbs", report.Peaks.BandwidthGBs);
        json.WriteEndObject();
        // The key keeps its first name, so scripts that read results.json go on working.
        json.WriteNumber("call_overhead_seconds", report.RunOverheadSeconds);
        json.WriteStartArray("rows");
        foreach (SpeedRow row in report.Rows)
        {
            json.WriteStartObject();
            json.WriteString("kernel", row.Kernel);
            json.WriteString("shape", row.Shape);
            json.WriteString("variant", row.Variant);
            json.WriteNumber("seconds", row.Seconds);
            json.WriteNumber("speed_up", row.SpeedUp);
            json.WriteNumber(row.Unit == WorkUnit.Flops ? "gflops" : "gbs", row.Rate);
            JsonResults.WriteNumber(json, "percent_of_peak", row.PercentOfPeak ?? double.NaN);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
