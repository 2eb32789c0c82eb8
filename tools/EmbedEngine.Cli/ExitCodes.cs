namespace EmbedEngine.Cli;

/// <summary>The process exit codes of <c>embed</c>.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>An unexpected failure: a bug, or the machine ran out of something.</summary>
    public const int InternalError = 1;

    /// <summary>Bad arguments or bad input (missing, empty or malformed files).</summary>
    public const int BadInput = 2;

    /// <summary>Interrupted by the user (128 + SIGINT, the shell convention).</summary>
    public const int Cancelled = 130;
}
