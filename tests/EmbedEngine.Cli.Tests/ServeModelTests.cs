using System.Net;
using System.Text;
using System.Text.Json;
using EmbedEngine.Cli.Commands;
using EmbedEngine.Cli.Serving;

namespace EmbedEngine.Cli.Tests;

/// <summary><c>embed serve</c>'s models: a fastText model's unseen words, and model arguments refused before listening.</summary>
public sealed class ServeModelTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_fasttext_model_answers_words_outside_its_vocabulary_from_their_ngrams()
    {
        var limits = new ServeLimits();
        string model = Path.Combine(AppContext.BaseDirectory, "Fixtures", "FastText", "tiny-skipgram.bin");
        await using EmbeddingServer server = await EmbeddingServer.StartAsync(
            [new ServedModel("ft", SentenceEncoderArguments.Open(new EncoderChoice(model, null, null)), limits)], "127.0.0.1", 0, limits);
        using var client = new HttpClient { BaseAddress = server.Address };
        using HttpResponseMessage response = await client.PostAsync("/v1/similar",
            new StringContent("""{"model": "ft", "word": "zzqqxxunseen", "k": 3}""", Encoding.UTF8));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using JsonDocument answer = JsonDocument.Parse(text);
        JsonElement[] data = [.. answer.RootElement.GetProperty("data").EnumerateArray()];
        Assert.Equal(3, data.Length);
        Assert.DoesNotContain(data, d => d.GetProperty("word").GetString() == "zzqqxxunseen");
        Assert.True(data[0].GetProperty("similarity").GetSingle() >= data[2].GetProperty("similarity").GetSingle());
    }

    [Fact]
    public void Bad_model_arguments_stop_embed_serve_before_it_listens()
    {
        BadInputTests.AssertBadInput(CliRun.Of("serve", "-m", "words"), "--model takes NAME=PATH; got 'words'");
        BadInputTests.AssertBadInput(CliRun.Of("serve", "-m", $"w={_folder.File("missing.bin")}"), "w: ");
        string vectors = _folder.Write("more.txt", "a 1 0\n");
        BadInputTests.AssertBadInput(CliRun.Of("serve", "-m", $"w={vectors}", "-m", $"w={vectors}"), "Two models are called 'w'");
        BadInputTests.AssertBadInput(CliRun.Of("serve", "-m", $"w={vectors}", "--port", "70000"), "--port takes 0 … 65535");
    }
}
