using System.Text.Json.Nodes;
using EmbedEngine.Models.Contextual;
using EmbedEngine.Models.Multimodal;
using EmbedEngine.Models.Tests.Contextual;

namespace EmbedEngine.Models.Tests.Multimodal;

public sealed class ClipCheckpointTests : IDisposable
{
    private readonly ScratchFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string ModelFolder => _folder.File("clip");

    private string ConfigPath => Path.Combine(ModelFolder, ClipCheckpoint.ConfigFile);

    private static readonly string[] Texts = ["a zero", "a one", "one zero zero", "unseen words a"];

    /// <summary>A model trained one epoch (so no parameter is at its initial value) and saved.</summary>
    private ClipModel SavedModel(CaptionedDigits data)
    {
        var model = TinyClip.Model(seed: 9);
        ClipTrainer.Train(model, data, new ClipTrainingOptions { Epochs = 1, BatchSize = 4, WarmupSteps = 1, Threads = 1 }, null, TimeSpan.Zero, CancellationToken.None);
        ClipCheckpoint.Save(model, ModelFolder);
        return model;
    }

    private void EditConfig(Action<JsonObject> edit)
    {
        JsonObject json = JsonNode.Parse(File.ReadAllText(ConfigPath))!.AsObject();
        edit(json);
        File.WriteAllText(ConfigPath, json.ToJsonString());
    }

    [Fact]
    public void A_saved_model_loads_with_identical_configuration_words_and_embeddings()
    {
        CaptionedDigits data = TinyClip.TwoClasses(8, seed: 1);
        using ClipModel model = SavedModel(data);
        Assert.True(File.Exists(Path.Combine(ModelFolder, ClipCheckpoint.TensorsFile)));
        foreach (string path in new[] { ModelFolder, ConfigPath })
        {
            using ClipModel loaded = ClipCheckpoint.Load(path);
            Assert.Equal(model.Config, loaded.Config);
            Assert.Equal(model.Vocabulary.Words, loaded.Vocabulary.Words);
            Assert.False(loaded.IsTraining);
            Assert.Equal(model.LogScale.Item(), loaded.LogScale.Item());
            Assert.Equal(model.EmbedImages(data.Images), loaded.EmbedImages(data.Images));
            Assert.Equal(model.EmbedTexts(Texts), loaded.EmbedTexts(Texts));
            var names = model.NamedParameters().Select(p => p.Key).ToList();
            Assert.Equal(names, loaded.NamedParameters().Select(p => p.Key));
            for (int i = 0; i < names.Count; i++)
                Assert.Equal(model.NamedParameters()[i].Value.ToArray(), loaded.NamedParameters()[i].Value.ToArray());
        }
        JsonObject json = JsonNode.Parse(File.ReadAllText(ConfigPath))!.AsObject();
        Assert.Equal("embedengine-clip", (string?)json["format"]);
        Assert.Equal(8, (int)json["image_size"]!);
        Assert.Equal(4, (int)json["patch"]!);
        Assert.Equal(["a", "zero", "one"], json["words"]!.AsArray().Select(w => (string)w!));
    }

    [Fact]
    public void A_language_model_folder_is_refused_naming_its_format()
    {
        using TransformerLanguageModel language = TinyModels.Create(ContextualModelKind.Gpt, TinyModels.Text);
        ContextualCheckpoint.Save(language, ModelFolder);
        var e = Assert.Throws<InvalidDataException>(() => ClipCheckpoint.Load(ModelFolder));
        Assert.Contains("embedengine-contextual", e.Message, StringComparison.Ordinal);
        Assert.Contains(ClipCheckpoint.ConfigFile, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configuration_without_a_format_is_refused()
    {
        using ClipModel model = SavedModel(TinyClip.TwoClasses(8, seed: 1));
        EditConfig(json => json.Remove("format"));
        var e = Assert.Throws<InvalidDataException>(() => ClipCheckpoint.Load(ModelFolder));
        Assert.Contains("embedengine-clip", e.Message, StringComparison.Ordinal);
        File.WriteAllText(ConfigPath, "{ not json");
        Assert.Throws<InvalidDataException>(() => ClipCheckpoint.Load(ModelFolder));
    }

    [Theory]
    [InlineData("image_dimension", 16, "visual.")]
    [InlineData("text_dimension", 16, "text.")]
    [InlineData("embedding_dimension", 4, "projection")]
    [InlineData("text_context", 9, "text.positions")]
    [InlineData("patch", 2, "visual.")]
    public void A_size_that_disagrees_with_the_tensors_is_invalid_data(string field, int value, string named)
    {
        using ClipModel model = SavedModel(TinyClip.TwoClasses(8, seed: 1));
        EditConfig(json => json[field] = value);
        var e = Assert.Throws<InvalidDataException>(() => ClipCheckpoint.Load(ModelFolder));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.Contains(ClipCheckpoint.ConfigFile, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Heads_edited_apart_from_the_tensors_are_caught_by_the_sizes_saved_with_them()
    {
        using ClipModel model = SavedModel(TinyClip.TwoClasses(8, seed: 1));
        EditConfig(json => json["heads"] = 1);
        var e = Assert.Throws<InvalidDataException>(() => ClipCheckpoint.Load(ModelFolder));
        Assert.Contains("1 heads", e.Message, StringComparison.Ordinal);
        Assert.Contains("2 heads", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extra_words_in_the_configuration_disagree_with_the_token_embedding()
    {
        using ClipModel model = SavedModel(TinyClip.TwoClasses(8, seed: 1));
        EditConfig(json => json["words"]!.AsArray().Add("two"));
        var e = Assert.Throws<InvalidDataException>(() => ClipCheckpoint.Load(ModelFolder));
        Assert.Contains("text.token_embedding", e.Message, StringComparison.Ordinal);
        EditConfig(json => json["words"] = new JsonArray("a", "a", "one"));
        e = Assert.Throws<InvalidDataException>(() => ClipCheckpoint.Load(ModelFolder));
        Assert.Contains("twice", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sizes_out_of_range_are_invalid_data()
    {
        using ClipModel model = SavedModel(TinyClip.TwoClasses(8, seed: 1));
        EditConfig(json => json["patch"] = 3);
        Assert.Throws<InvalidDataException>(() => ClipCheckpoint.Load(ModelFolder));
        EditConfig(json => { json["patch"] = 4; json["heads"] = 3; });
        Assert.Throws<InvalidDataException>(() => ClipCheckpoint.Load(ModelFolder));
        EditConfig(json => { json["heads"] = 2; json["version"] = 2; });
        var e = Assert.Throws<InvalidDataException>(() => ClipCheckpoint.Load(ModelFolder));
        Assert.Contains("version 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_files_are_not_found()
    {
        var e = Assert.Throws<FileNotFoundException>(() => ClipCheckpoint.Load(_folder.File("absent")));
        Assert.Contains("absent", e.Message, StringComparison.Ordinal);
        Directory.CreateDirectory(ModelFolder);
        e = Assert.Throws<FileNotFoundException>(() => ClipCheckpoint.Load(ModelFolder));
        Assert.Equal(ConfigPath, e.FileName);

        using ClipModel model = SavedModel(TinyClip.TwoClasses(8, seed: 1));
        string tensors = Path.Combine(ModelFolder, ClipCheckpoint.TensorsFile);
        File.Delete(tensors);
        e = Assert.Throws<FileNotFoundException>(() => ClipCheckpoint.Load(ModelFolder));
        Assert.Equal(tensors, e.FileName);
    }
}
