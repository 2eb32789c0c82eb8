namespace EmbedEngine.Distributed;

/// <summary>An MPI call failed; the message is MPI's own description of why.</summary>
public sealed class MpiException(string message) : Exception(message);
