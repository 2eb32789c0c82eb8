using EmbedEngine.Models.FastText;
using EmbedEngine.Models.FastText.Supervised;

namespace EmbedEngine.Models.Tests.Classifier;

public sealed class ClassifierOptionsTests
{
    [Theory]
    [InlineData("dim")]
    [InlineData("wordNgrams")]
    [InlineData("bucket")]
    [InlineData("loss")]
    [InlineData("minn")]
    [InlineData("maxn")]
    public void Options_out_of_range_are_rejected_naming_the_option(string broken)
    {
        ClassifierOptions options = broken switch
        {
            "dim" => new ClassifierOptions { Dimension = 0 },
            "wordNgrams" => new ClassifierOptions { WordNgrams = 0 },
            "bucket" => new ClassifierOptions { Buckets = -1 },
            "minn" => new ClassifierOptions { MinN = 0, MaxN = 3 },
            "maxn" => new ClassifierOptions { MinN = 2, MaxN = 3, Buckets = 0 },
            // Negative sampling is a word-vector loss; fastText's classifier has no such output layer.
            _ => new ClassifierOptions { Loss = FastTextLoss.NegativeSampling },
        };
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(broken, error.Message);
    }

    [Fact]
    public void Defaults_are_fasttext_supervised_defaults_and_valid()
    {
        var options = new ClassifierOptions();
        Assert.Equal((100, 0.1f, 5, 1, FastTextLoss.Softmax), (options.Dimension, options.LearningRate, options.Epochs, options.WordNgrams, options.Loss));
        Assert.Equal((0, 0, 0), (options.MinN, options.MaxN, options.EffectiveBuckets)); // no n-grams, so no bucket rows
        options.Validate();
    }
}
