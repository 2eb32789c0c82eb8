using EmbedEngine.Models.Contextual;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Models.Tests.Contextual;

/// <summary>
/// A tiny language model (GPT-like, BERT-like or LSTM) trained for a few steps on the emulated GPU (ILGPU's CPU accelerator running the
/// GPU kernels) and on the CPU from the same weights and windows: every validation loss must agree, and the checkpoint
/// saved from the device must load on the CPU and score as the model on the device does.
/// </summary>
public sealed class GpuLanguageModelTrainingTests : IDisposable
{
    private const string Emulated = "emulated";

    /// <summary>A few steps of AdamW compound the rounding of sums taken in another order on the device.</summary>
    private const double Tolerance = 2e-4;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"gpu-lm-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData(ContextualModelKind.Gpt)]
    [InlineData(ContextualModelKind.Bert)]
    [InlineData(ContextualModelKind.Lstm)]
    public void Steps_on_the_emulated_gpu_give_the_cpu_losses_and_a_checkpoint_that_loads_on_the_cpu(ContextualModelKind kind)
    {
        string text = TinyModels.Repeated(4);
        ContextualTrainingOptions options = TinyModels.Options(3) with { EvalInterval = 1, BatchSize = 2 };
        using LanguageModel cpu = Tiny(kind, text), gpu = Tiny(kind, text);
        int[] tokens = TinyModels.Encode(cpu, text), validation = tokens[..40];
        double[] cpuLosses = Train(cpu, tokens, validation, options);
        double[] gpuLosses = Train(gpu, tokens, validation, options with { Device = Emulated });

        Assert.Equal(Emulated, gpu.Parameters()[0].Device.Name);
        Assert.Equal(4, gpuLosses.Length);
        for (int i = 0; i < cpuLosses.Length; i++)
            Assert.True(Math.Abs(cpuLosses[i] - gpuLosses[i]) <= Tolerance * cpuLosses[i], $"Validation {i}: the CPU's loss is {cpuLosses[i]}, the GPU's {gpuLosses[i]}.");
        Assert.True(cpuLosses[^1] < cpuLosses[0], $"Three steps should lower the loss: {string.Join(", ", cpuLosses)}.");

        ContextualCheckpoint.Save(gpu, _folder);
        using LanguageModel loaded = ContextualCheckpoint.Load(_folder);
        Assert.Equal(Device.Cpu, loaded.Parameters()[0].Device);
        float[] onDevice = Logits(gpu, tokens[..8]), onCpu = Logits(loaded, tokens[..8]);
        for (int i = 0; i < onDevice.Length; i++)
            Assert.True(Math.Abs(onDevice[i] - onCpu[i]) <= 1e-4f * Math.Max(1f, Math.Abs(onDevice[i])), $"Logit {i}: {onDevice[i]} on the device, {onCpu[i]} loaded on the CPU.");
    }

    private static LanguageModel Tiny(ContextualModelKind kind, string text) => kind == ContextualModelKind.Lstm
        ? TinyModels.CreateLstm(text, dimension: 8, context: 8, dropout: 0.1f)
        : TinyModels.Create(kind, text, dimension: 8, heads: 2, context: 8, dropout: 0.1f);

    /// <summary>The validation loss before the first step and after each.</summary>
    private static double[] Train(LanguageModel model, int[] tokens, int[] validation, ContextualTrainingOptions options)
    {
        var losses = new List<double>();
        ContextualTrainer.Train(model, tokens, validation, options, null, point => losses.Add(point.Result.MeanLoss), TimeSpan.FromHours(1),
            CancellationToken.None);
        return [.. losses];
    }

    private static float[] Logits(LanguageModel model, int[] tokens)
    {
        model.Eval();
        try
        {
            using (Graph.NoGrad()) return model.Logits(tokens, 1, tokens.Length).ToArray();
        }
        finally
        {
            Graph.Current.Release();
        }
    }
}
