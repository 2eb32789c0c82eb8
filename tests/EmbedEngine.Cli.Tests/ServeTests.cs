using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EmbedEngine.Cli.Commands;
using EmbedEngine.Cli.Serving;
using EmbedEngine.Models.Sentence;

namespace EmbedEngine.Cli.Tests;

/// <summary><c>embed serve</c> through real HTTP on loopback: OpenAI's shapes, nearest words, batching, and a 4xx for every bad request.</summary>
public sealed class ServeTests : IAsyncLifetime, IDisposable
{
    private static readonly ServeLimits Limits = new(MaxBodyBytes: 4096, MaxInputs: 8, MaxInputChars: 200, MaxBatch: 64, MaxNeighbours: 50);

    private readonly TempFolder _folder = new();
    private readonly HttpClient _client = new();
    private EmbeddingServer _server = null!;
    private CountingEncoder _slow = null!;

    public async Task InitializeAsync()
    {
        string vectors = _folder.Write("vectors.txt", "cat 1 0 0\ndog 0.9 0.1 0\nstock 0 0 1\nmarket 0 0.1 0.9\n");
        _slow = new CountingEncoder();
        ServedModel words = new("words", SentenceEncoderArguments.Open(new EncoderChoice(vectors, null, null)), Limits);
        ServedModel counting = new("counting", new OpenedEncoder(_slow, null), Limits);
        _server = await EmbeddingServer.StartAsync([words, counting], "127.0.0.1", 0, Limits);
        _client.BaseAddress = _server.Address;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _client.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Embeddings_come_back_in_openai_shape_as_the_mean_of_the_words()
    {
        using JsonDocument answer = await PostOk("/v1/embeddings", """{"model": "words", "input": ["cat dog", "stock"]}""");
        JsonElement root = answer.RootElement;
        Assert.Equal("list", root.GetProperty("object").GetString());
        Assert.Equal("words", root.GetProperty("model").GetString());
        Assert.Equal(3, root.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        JsonElement[] data = [.. root.GetProperty("data").EnumerateArray()];
        Assert.Equal(2, data.Length);
        Assert.Equal("embedding", data[0].GetProperty("object").GetString());
        Assert.Equal(1, data[1].GetProperty("index").GetInt32());
        Assert.Equal([0.95f, 0.05f, 0f], Floats(data[0]));
        Assert.Equal([0f, 0f, 1f], Floats(data[1]));
    }

    [Fact]
    public async Task Base64_encoding_holds_the_same_little_endian_floats()
    {
        using JsonDocument answer = await PostOk("/v1/embeddings", """{"model": "words", "input": "cat dog", "encoding_format": "base64"}""");
        byte[] bytes = Convert.FromBase64String(answer.RootElement.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        Assert.Equal(12, bytes.Length);
        Assert.Equal([0.95f, 0.05f, 0f], [BitConverter.ToSingle(bytes, 0), BitConverter.ToSingle(bytes, 4), BitConverter.ToSingle(bytes, 8)]);
    }

    [Fact]
    public async Task Similar_answers_the_nearest_words_and_analogies()
    {
        using JsonDocument nearest = await PostOk("/v1/similar", """{"model": "words", "word": "cat", "k": 2}""");
        JsonElement[] data = [.. nearest.RootElement.GetProperty("data").EnumerateArray()];
        Assert.Equal(2, data.Length);
        Assert.Equal("dog", data[0].GetProperty("word").GetString());
        Assert.Equal(0.9f / MathF.Sqrt(0.82f), data[0].GetProperty("similarity").GetSingle(), 5);
        using JsonDocument analogy = await PostOk("/v1/similar", """{"model": "words", "positive": ["stock", "dog"], "negative": ["cat"], "k": 1}""");
        Assert.Equal("market", analogy.RootElement.GetProperty("data")[0].GetProperty("word").GetString());
    }

    [Fact]
    public async Task Health_and_models_list_what_is_served()
    {
        using JsonDocument health = JsonDocument.Parse(await _client.GetStringAsync("/health"));
        Assert.Equal("ok", health.RootElement.GetProperty("status").GetString());
        Assert.Equal(3, health.RootElement.GetProperty("models")[0].GetProperty("dimension").GetInt32());
        using JsonDocument models = JsonDocument.Parse(await _client.GetStringAsync("/v1/models"));
        Assert.Equal(["words", "counting"], models.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Concurrent_requests_share_batches_and_each_gets_its_own_rows()
    {
        Task<JsonDocument>[] requests = [.. Enumerable.Range(0, 24).Select(i => PostOk("/v1/embeddings", $$"""{"model": "counting", "input": ["{{i}}", "{{i + 1000}}"]}"""))];
        JsonDocument[] answers = await Task.WhenAll(requests);
        for (int i = 0; i < answers.Length; i++)
        {
            JsonElement data = answers[i].RootElement.GetProperty("data");
            Assert.Equal(i, Floats(data[0])[0]);
            Assert.Equal(i + 1000, Floats(data[1])[0]);
            answers[i].Dispose();
        }
        // The encoder sleeps per batch and throws if entered twice at once: requests queued meanwhile join the next batch.
        Assert.False(_slow.Overlapped);
        Assert.InRange(_slow.Batches, 1, 23);
    }

    [Theory]
    [InlineData("{\"model\": \"words\", \"input\": \"cat\"", 400, "not valid JSON")]
    [InlineData("""["cat"]""", 400, "must be a JSON object; it is an array")]
    [InlineData("""{"input": "cat"}""", 400, "'model' is missing")]
    [InlineData("""{"model": 3, "input": "cat"}""", 400, "'model' must be a string; it is a number")]
    [InlineData("""{"model": "words"}""", 400, "'input' is missing")]
    [InlineData("""{"model": "words", "input": {"a": 1}}""", 400, "'input' must be a string or an array of strings; it is an object")]
    [InlineData("""{"model": "words", "input": [[1, 2]]}""", 400, "token arrays are not supported")]
    [InlineData("""{"model": "words", "input": []}""", 400, "empty array")]
    [InlineData("""{"model": "words", "input": "cat", "encoding_format": "int8"}""", 400, "float or base64")]
    [InlineData("""{"model": "words", "input": "cat", "dimensions": 2}""", 400, "gives 3-dimensional embeddings")]
    [InlineData("""{"model": "nope", "input": "cat"}""", 404, "'nope' is not served here; models: words, counting")]
    [InlineData("""{"model": "words", "input": ["a", "b", "c", "d", "e", "f", "g", "h", "i"]}""", 413, "holds 9 items; the limit is 8")]
    public async Task Bad_embedding_requests_get_a_4xx_that_says_what_was_wrong(string body, int status, string message) =>
        await AssertRefused("/v1/embeddings", body, status, message);

    [Theory]
    [InlineData("""{"model": "words"}""", 400, "Give 'word'")]
    [InlineData("""{"model": "words", "word": "unicorn"}""", 404, "'unicorn' is not in words's vocabulary")]
    [InlineData("""{"model": "words", "word": "cat", "k": 0}""", 400, "'k' must be a positive integer")]
    [InlineData("""{"model": "words", "word": "cat", "k": 51}""", 413, "'k' is 51; the limit is 50")]
    [InlineData("""{"model": "counting", "word": "cat"}""", 400, "has no word vectors")]
    public async Task Bad_similar_requests_get_a_4xx_that_says_what_was_wrong(string body, int status, string message) =>
        await AssertRefused("/v1/similar", body, status, message);

    [Fact]
    public async Task Oversize_texts_and_bodies_are_413()
    {
        await AssertRefused("/v1/embeddings", $$"""{"model": "words", "input": "{{new string('a', 201)}}"}""", 413, "input[0] has 201 characters; the limit is 200");
        await AssertRefused("/v1/embeddings", $$"""{"model": "words", "input": "{{new string('a', 5000)}}"}""", 413, "the limit is 4,096", expectContinue: true);
        // Without a Content-Length the body is cut off by Kestrel's limit while it is read.
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/v1/embeddings") { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{"model": "words", "input": "{{new string('a', 5000)}}"}"""))) };
        chunked.Headers.TransferEncodingChunked = true;
        using HttpResponseMessage response = await _client.SendAsync(chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("over the limit of 4,096 bytes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<JsonDocument> PostOk(string path, string body)
    {
        using HttpResponseMessage response = await _client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text);
    }

    /// <param name="expectContinue">
    /// Ask before sending the body, as careful clients do: a body refused by its length is never read, and Kestrel
    /// closes the connection under a client still sending it.
    /// </param>
    private async Task AssertRefused(string path, string body, int status, string message, bool expectContinue = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = expectContinue;
        using HttpResponseMessage response = await _client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.Equal(status, (int)response.StatusCode);
        using JsonDocument error = JsonDocument.Parse(text);
        Assert.Contains(message, error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static float[] Floats(JsonElement item) => [.. item.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle())];

    /// <summary>A one-float encoder (the sentence parsed as a number) that is slow per batch and not thread-safe.</summary>
    private sealed class CountingEncoder : ISentenceEncoder
    {
        private int _inside;

        public int Dimension => 1;

        public bool Overlapped { get; private set; }

        public int Batches { get; private set; }

        public void Encode(string sentence, Span<float> vector) => vector[0] = float.Parse(sentence, System.Globalization.CultureInfo.InvariantCulture);

        public void EncodeBatch(IReadOnlyList<string> sentences, Span<float> vectors)
        {
            if (Interlocked.Increment(ref _inside) > 1) Overlapped = true;
            Batches++;
            Thread.Sleep(20);
            for (int i = 0; i < sentences.Count; i++) Encode(sentences[i], vectors.Slice(i, 1));
            Interlocked.Decrement(ref _inside);
        }
    }
}
