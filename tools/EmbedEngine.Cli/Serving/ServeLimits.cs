namespace EmbedEngine.Cli.Serving;

/// <summary>What one request may ask of the service, and how requests are batched; breaches are answered with a 4xx.</summary>
/// <param name="MaxBodyBytes">Largest request body (413 beyond).</param>
/// <param name="MaxInputs">Most texts in one request (413 beyond).</param>
/// <param name="MaxInputChars">Longest text (413 beyond).</param>
/// <param name="MaxBatch">Most texts a model encodes in one batch, gathered across connections.</param>
/// <param name="MaxQueued">Most texts waiting for a model before new requests get 429.</param>
/// <param name="MaxNeighbours">Largest k of a nearest-words query.</param>
internal sealed record ServeLimits(
    long MaxBodyBytes = 8 << 20,
    int MaxInputs = 2048,
    int MaxInputChars = 16_384,
    int MaxBatch = 256,
    int MaxQueued = 65_536,
    int MaxNeighbours = 1000);
