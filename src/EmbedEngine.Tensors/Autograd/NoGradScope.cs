namespace EmbedEngine.Tensors.Autograd;

/// <summary>While alive, operations on this thread record nothing for backward (evaluation, optimizer steps).</summary>
public readonly struct NoGradScope : IDisposable
{
    private readonly Graph _graph;

    internal NoGradScope(Graph graph)
    {
        _graph = graph;
        graph.NoGradDepth++;
    }

    /// <summary>Ends the scope.</summary>
    public void Dispose() => _graph.NoGradDepth--;
}
