using System.Diagnostics;

namespace EmbedEngine.Cli.Bench;

/// <summary>
/// The process's peak working set, per job: on Linux writing 5 to /proc/self/clear_refs resets the peak (VmHWM) to
/// the current working set, so each job's peak is its own; elsewhere the peak is the process's since it started.
/// </summary>
internal static class PeakMemory
{
    /// <summary>Starts a new peak; returns whether the system could (false: the next peak includes earlier jobs).</summary>
    public static bool Reset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The peak working set in bytes since the last reset (or the start).</summary>
    public static long Bytes()
    {
        using Process self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }
}
