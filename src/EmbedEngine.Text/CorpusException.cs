namespace EmbedEngine.Text;

/// <summary>
/// A corpus that cannot be used: missing, unreadable, corrupt, empty, or without any word frequent enough.
/// The message names the file and what is wrong, so it can be shown to a user as it is.
/// </summary>
public sealed class CorpusException : Exception
{
    /// <summary>Creates the exception with a message that names the file and the problem.</summary>
    /// <param name="message">What is wrong, naming the file.</param>
    /// <param name="inner">The I/O or format error underneath, if any.</param>
    public CorpusException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
