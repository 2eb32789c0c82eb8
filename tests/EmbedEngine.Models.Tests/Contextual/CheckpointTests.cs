using EmbedEngine.Models.Contextual;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Models.Tests.Contextual;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"embed-ckpt-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private static float[] Logits(LanguageModel model, int[] tokens)
    {
        using (Graph.NoGrad())
        {
            float[] logits = model.Logits(tokens, 1, tokens.Length).ToArray();
            Graph.Current.Release();
            return logits;
        }
    }

    [Theory]
    [InlineData(ContextualModelKind.Gpt)]
    [InlineData(ContextualModelKind.Bert)]
    public void A_saved_model_loads_with_identical_logits(ContextualModelKind kind)
    {
        string text = TinyModels.Repeated(3);
        using TransformerLanguageModel model = TinyModels.Create(kind, text, layers: 2);
        int[] tokens = TinyModels.Encode(model, "the lazy dog");
        ContextualCheckpoint.Save(model, _folder);
        using LanguageModel loaded = ContextualCheckpoint.Load(_folder);
        Assert.Equal(model.Config with { Tokenizer = loaded.Config.Tokenizer }, loaded.Config);
        Assert.Equal(model.Config.Tokenizer.CharacterList, loaded.Config.Tokenizer.CharacterList);
        Assert.Equal(Logits(model, tokens), Logits(loaded, tokens));
        Assert.Equal(model.Parameters().Count, loaded.Parameters().Count);
        using LanguageModel viaJson = ContextualCheckpoint.Load(Path.Combine(_folder, ContextualCheckpoint.ConfigFile));
        Assert.Equal(Logits(model, tokens), Logits(viaJson, tokens));
    }

    [Fact]
    public void A_config_that_disagrees_with_the_tensors_is_invalid_data()
    {
        using TransformerLanguageModel model = TinyModels.Create(ContextualModelKind.Gpt, TinyModels.Text);
        ContextualCheckpoint.Save(model, _folder);
        string json = Path.Combine(_folder, ContextualCheckpoint.ConfigFile);
        File.WriteAllText(json, File.ReadAllText(json).Replace("\"dimension\": 16", "\"dimension\": 32", StringComparison.Ordinal));
        var e = Assert.Throws<InvalidDataException>(() => ContextualCheckpoint.Load(_folder));
        Assert.Contains("has shape [", e.Message, StringComparison.Ordinal);
        Assert.Contains("dimension 32", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_tensor_is_invalid_data()
    {
        using TransformerLanguageModel model = TinyModels.Create(ContextualModelKind.Gpt, TinyModels.Text);
        ContextualCheckpoint.Save(model, _folder);
        using TransformerLanguageModel twoLayers = TinyModels.Create(ContextualModelKind.Gpt, TinyModels.Text, layers: 2);
        // A checkpoint whose model.json says two layers but whose tensors hold one.
        string json = Path.Combine(_folder, ContextualCheckpoint.ConfigFile);
        File.WriteAllText(json, File.ReadAllText(json).Replace("\"layers\": 1", "\"layers\": 2", StringComparison.Ordinal));
        var e = Assert.Throws<InvalidDataException>(() => ContextualCheckpoint.Load(_folder));
        Assert.Contains("lacks the parameter 'transformer.h.1.", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"kind\": \"gpt\"", "\"kind\": \"rnn\"", "unknown model kind \"rnn\"")]
    [InlineData("\"heads\": 2", "\"heads\": 3", "3 heads do not divide the dimension 16")]
    [InlineData("\"vocabulary_size\": 28", "\"vocabulary_size\": 29", "the tokenizer has 28 ids but \"vocabulary_size\" is 29")]
    [InlineData("\"context\": 16,", "", "the field \"context\" is missing")]
    [InlineData("\"kind\": \"char\"", "\"kind\": \"words\"", "unknown tokenizer kind \"words\"")]
    public void A_bad_model_json_is_invalid_data(string original, string replacement, string expected)
    {
        using TransformerLanguageModel model = TinyModels.Create(ContextualModelKind.Gpt, TinyModels.Text);
        Assert.Equal(28, model.Config.VocabularySize);
        ContextualCheckpoint.Save(model, _folder);
        string json = Path.Combine(_folder, ContextualCheckpoint.ConfigFile);
        string text = File.ReadAllText(json);
        Assert.Contains(original, text, StringComparison.Ordinal);
        File.WriteAllText(json, text.Replace(original, replacement, StringComparison.Ordinal));
        var e = Assert.Throws<InvalidDataException>(() => ContextualCheckpoint.Load(_folder));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_the_tensors_is_file_not_found()
    {
        using TransformerLanguageModel model = TinyModels.Create(ContextualModelKind.Gpt, TinyModels.Text);
        ContextualCheckpoint.Save(model, _folder);
        File.Delete(Path.Combine(_folder, ContextualCheckpoint.TensorsFile));
        var e = Assert.Throws<FileNotFoundException>(() => ContextualCheckpoint.Load(_folder));
        Assert.Contains(ContextualCheckpoint.TensorsFile, e.Message, StringComparison.Ordinal);
    }
}
