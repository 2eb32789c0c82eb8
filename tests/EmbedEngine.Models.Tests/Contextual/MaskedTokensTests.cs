using EmbedEngine.Models.Contextual;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.Tests.Contextual;

public sealed class MaskedTokensTests
{
    private static readonly ContextualConfig Config = new() { Kind = ContextualModelKind.Bert, VocabularySize = 50, Context = 64 };

    [Fact]
    public void Chosen_tokens_split_80_10_10_and_cls_is_never_chosen()
    {
        var random = new FastRandom(7);
        int[] positions = new int[64];
        long chosen = 0, masked = 0, kept = 0, replaced = 0, windows = 4000;
        var original = new int[64];
        var inputs = new int[64];
        var targets = new int[64];
        for (int w = 0; w < windows; w++)
        {
            original[0] = Config.ClassToken;
            for (int i = 1; i < 64; i++) original[i] = random.NextInt(Config.VocabularySize);
            original.CopyTo(inputs, 0);
            MaskedTokens.Apply(inputs, targets, Config, 0.15f, ref random, positions);
            Assert.Equal(Config.ClassToken, inputs[0]);
            Assert.Equal(MaskedTokens.Ignored, targets[0]);
            int inWindow = 0;
            for (int i = 1; i < 64; i++)
            {
                if (targets[i] == MaskedTokens.Ignored)
                {
                    Assert.Equal(original[i], inputs[i]);
                    continue;
                }
                inWindow++;
                Assert.Equal(original[i], targets[i]);
                if (inputs[i] == Config.MaskToken) masked++;
                else if (inputs[i] == original[i]) kept++;
                else
                {
                    Assert.InRange(inputs[i], 0, Config.VocabularySize - 1);
                    replaced++;
                }
            }
            Assert.Equal(9, inWindow); // round(0.15 · 63)
            chosen += inWindow;
        }
        // A random replacement equals the original 1 time in 50, which then counts as kept.
        Assert.InRange((double)masked / chosen, 0.79, 0.81);
        Assert.InRange((double)replaced / chosen, 0.1 * 49 / 50 - 0.008, 0.1 * 49 / 50 + 0.008);
        Assert.InRange((double)kept / chosen, 0.1 + 0.1 / 50 - 0.008, 0.1 + 0.1 / 50 + 0.008);
    }

    [Fact]
    public void Every_position_after_cls_is_chosen_about_equally_often()
    {
        var random = new FastRandom(9);
        int[] positions = new int[16], counts = new int[16];
        var inputs = new int[16];
        var targets = new int[16];
        for (int w = 0; w < 20000; w++)
        {
            inputs[0] = Config.ClassToken;
            for (int i = 1; i < 16; i++) inputs[i] = 3;
            MaskedTokens.Apply(inputs, targets, Config, 0.15f, ref random, positions);
            for (int i = 0; i < 16; i++)
                if (targets[i] != MaskedTokens.Ignored) counts[i]++;
        }
        Assert.Equal(0, counts[0]);
        // 2 of 15 positions per window (round(2.25)): each position is chosen 2/15 of the time.
        for (int i = 1; i < 16; i++) Assert.InRange(counts[i] / 20000.0, 2 / 15.0 - 0.01, 2 / 15.0 + 0.01);
    }

    [Fact]
    public void A_window_of_one_token_still_predicts_it()
    {
        var random = new FastRandom(1);
        int[] inputs = [Config.ClassToken, 4], targets = new int[2];
        MaskedTokens.Apply(inputs, targets, Config, 0.15f, ref random, new int[2]);
        Assert.Equal([MaskedTokens.Ignored, 4], targets);
    }
}
