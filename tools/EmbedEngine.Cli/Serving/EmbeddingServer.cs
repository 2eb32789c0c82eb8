using System.Net;
using System.Text.Json;
using EmbedEngine.Vectors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EmbedEngine.Cli.Serving;

/// <summary>
/// The HTTP service on Kestrel: <c>POST /v1/embeddings</c> in OpenAI's request and response shape, <c>POST /v1/similar</c>
/// for word models, <c>GET /v1/models</c> and <c>GET /health</c>. Every refusal is a 4xx with OpenAI's error body.
/// </summary>
internal sealed class EmbeddingServer : IAsyncDisposable
{
    // Messages quote words ('war'); the default encoder would escape every apostrophe.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly WebApplication _app;
    private readonly Dictionary<string, ServedModel> _models;

    private EmbeddingServer(WebApplication app, Dictionary<string, ServedModel> models)
    {
        _app = app;
        _models = models;
    }

    /// <summary>Where the service listens, with the port the system chose when asked for port 0.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Starts serving <paramref name="models"/> on <paramref name="host"/>:<paramref name="port"/> (0: any free port).</summary>
    public static async Task<EmbeddingServer> StartAsync(IReadOnlyList<ServedModel> models, string host, int port, ServeLimits limits)
    {
        var byName = new Dictionary<string, ServedModel>(StringComparer.Ordinal);
        foreach (ServedModel model in models)
            if (!byName.TryAdd(model.Name, model)) throw new ArgumentException($"Two models are called '{model.Name}'.");
        if (!IPAddress.TryParse(host == "localhost" ? "127.0.0.1" : host, out IPAddress? address))
            throw new ArgumentException($"--host takes an IP address; got '{host}'.");
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = limits.MaxBodyBytes;
            kestrel.Listen(address, port);
        });
        WebApplication app = builder.Build();
        var server = new EmbeddingServer(app, byName);
        app.MapGet("/health", server.Health);
        app.MapGet("/v1/models", server.Models);
        app.MapPost("/v1/embeddings", context => server.Answer(context, limits, server.Embeddings));
        app.MapPost("/v1/similar", context => server.Answer(context, limits, server.Similar));
        await app.StartAsync().ConfigureAwait(false);
        server.Address = new Uri(app.Urls.First());
        return server;
    }

    /// <summary>Runs until <paramref name="stop"/> fires or the process is told to terminate.</summary>
    public Task WaitAsync(CancellationToken stop) => _app.WaitForShutdownAsync(stop);

    private Task Health(HttpContext context) => Write(context, 200, json =>
    {
        json.WriteString("status", "ok");
        json.WriteStartArray("models");
        foreach (ServedModel model in _models.Values)
        {
            json.WriteStartObject();
            json.WriteString("name", model.Name);
            json.WriteNumber("dimension", model.Dimension);
            json.WriteBoolean("words", model.Words != null);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    });

    private Task Models(HttpContext context) => Write(context, 200, json =>
    {
        json.WriteString("object", "list");
        json.WriteStartArray("data");
        foreach (ServedModel model in _models.Values)
        {
            json.WriteStartObject();
            json.WriteString("id", model.Name);
            json.WriteString("object", "model");
            json.WriteString("owned_by", "embedengine");
            json.WriteEndObject();
        }
        json.WriteEndArray();
    });

    private async Task Embeddings(HttpContext context, JsonElement body, ServeLimits limits)
    {
        EmbeddingsRequest request = ApiRequests.Embeddings(body, limits);
        ServedModel model = Find(request.Model);
        if (request.Dimensions is { } asked && asked != model.Dimension)
            throw ApiException.BadRequest($"'dimensions' is {asked}; {model.Name} gives {model.Dimension}-dimensional embeddings.", "dimensions");
        float[] vectors = await model.Batcher.EncodeAsync(request.Inputs).ConfigureAwait(false);
        int words = request.Inputs.Sum(text => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length);
        await Write(context, 200, json =>
        {
            json.WriteString("object", "list");
            json.WriteStartArray("data");
            for (int i = 0; i < request.Inputs.Count; i++)
            {
                ReadOnlySpan<float> vector = vectors.AsSpan(i * model.Dimension, model.Dimension);
                json.WriteStartObject();
                json.WriteString("object", "embedding");
                json.WriteNumber("index", i);
                if (request.Base64)
                    json.WriteBase64String("embedding", System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector));
                else
                {
                    json.WriteStartArray("embedding");
                    foreach (float value in vector) json.WriteNumberValue(value);
                    json.WriteEndArray();
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteString("model", model.Name);
            json.WriteStartObject("usage");
            json.WriteNumber("prompt_tokens", words);
            json.WriteNumber("total_tokens", words);
            json.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private Task Similar(HttpContext context, JsonElement body, ServeLimits limits)
    {
        SimilarRequest request = ApiRequests.Similar(body, limits);
        ServedModel model = Find(request.Model);
        if (model.Words is not { } words)
            throw ApiException.BadRequest($"{model.Name} embeds text but has no word vectors to search; /v1/similar needs a word-vector model.", "model");
        IReadOnlyList<(string Word, float Similarity)> nearest = request.Positive.Concat(request.Negative).All(w => words.IndexOf(w) >= 0)
            ? words.MostSimilar(request.Positive, request.Negative, request.K)
            : NearestWithSubwords(model, words, request);
        return Write(context, 200, json =>
        {
            json.WriteString("model", model.Name);
            json.WriteStartArray("data");
            foreach ((string word, float similarity) in nearest)
            {
                json.WriteStartObject();
                json.WriteString("word", word);
                json.WriteNumber("similarity", similarity);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        });
    }

    /// <summary>
    /// A query with words outside the vocabulary, answered from a fastText model's n-gram vectors: the normalised sum of
    /// the unit vectors of the positive words minus those of the negative ones, input words left out of the answer.
    /// </summary>
    private static IReadOnlyList<(string Word, float Similarity)> NearestWithSubwords(ServedModel model, KeyedVectors words, SimilarRequest request)
    {
        string unknown = request.Positive.Concat(request.Negative).First(w => words.IndexOf(w) < 0);
        if (model.Subwords is not { } subwords)
            throw new ApiException(404, $"'{unknown}' is not in {model.Name}'s vocabulary.", "word", "word_not_found");
        var query = new float[words.Dimension];
        foreach ((IReadOnlyList<string> list, float sign) in new[] { (request.Positive, 1f), (request.Negative, -1f) })
            foreach (string word in list)
            {
                float[] vector = subwords.WordVector(word);
                float norm = MathF.Sqrt(vector.Sum(x => x * x));
                if (norm == 0) throw new ApiException(404, $"'{word}' has no vector in {model.Name}: no known word or n-gram.", "word", "word_not_found");
                for (int i = 0; i < query.Length; i++) query[i] += sign * vector[i] / norm;
            }
        var inputs = new HashSet<string>(request.Positive.Concat(request.Negative), StringComparer.Ordinal);
        return [.. words.Nearest(query, request.K + inputs.Count).Where(n => !inputs.Contains(n.Word)).Take(request.K)];
    }

    private ServedModel Find(string name) => _models.TryGetValue(name, out ServedModel? model) ? model
        : throw new ApiException(404, $"The model '{name}' is not served here; models: {string.Join(", ", _models.Keys)}.", "model", "model_not_found");

    /// <summary>Reads the body, runs <paramref name="handler"/>, and turns a refusal into its 4xx answer.</summary>
    private async Task Answer(HttpContext context, ServeLimits limits, Func<HttpContext, JsonElement, ServeLimits, Task> handler)
    {
        try
        {
            using JsonDocument body = await ApiRequests.ReadAsync(context.Request, limits).ConfigureAwait(false);
            await handler(context, body.RootElement, limits).ConfigureAwait(false);
        }
        catch (ApiException refusal)
        {
            await Write(context, refusal.Status, json =>
            {
                json.WriteStartObject("error");
                json.WriteString("message", refusal.Message);
                json.WriteString("type", refusal.Type);
                if (refusal.Parameter is { } parameter) json.WriteString("param", parameter);
                else json.WriteNull("param");
                if (refusal.Code is { } code) json.WriteString("code", code);
                else json.WriteNull("code");
                json.WriteEndObject();
            }).ConfigureAwait(false);
        }
    }

    private static async Task Write(HttpContext context, int status, Action<Utf8JsonWriter> body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using (var json = new Utf8JsonWriter(context.Response.Body, WriterOptions))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }
    }

    /// <summary>Stops listening, then drains and releases every model.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        foreach (ServedModel model in _models.Values) await model.DisposeAsync().ConfigureAwait(false);
    }
}
