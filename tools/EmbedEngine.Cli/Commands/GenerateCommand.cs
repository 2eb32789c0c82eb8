using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EmbedEngine.Models.Contextual;

namespace EmbedEngine.Cli.Commands;

/// <summary><c>embed generate</c>: text from a GPT-like or LSTM checkpoint, sampled with temperature and top-k; the speed goes to standard error.</summary>
internal static class GenerateCommand
{
    private static readonly GenerationOptions Defaults = new();

    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = ModelOption();
        var prompt = new Option<string>("--prompt", "-p") { Description = "Text to continue.", DefaultValueFactory = _ => "\n" };
        var tokens = new Option<int>("--tokens", "-n") { Description = "Tokens to generate.", DefaultValueFactory = _ => Defaults.Tokens };
        var temperature = new Option<float>("--temperature") { Description = "Softmax temperature; 0 always takes the most likely token.", DefaultValueFactory = _ => Defaults.Temperature };
        var topK = new Option<int>("--top-k") { Description = "Draw only among the k most likely tokens (0: all).", DefaultValueFactory = _ => Defaults.TopK };
        var seed = new Option<ulong>("--seed") { Description = "Random seed of the draws.", DefaultValueFactory = _ => Defaults.Seed };
        var threads = new Option<int>("--threads") { Description = "Threads for the kernels (0: one per core).", DefaultValueFactory = _ => 1 };
        var command = new Command("generate", "Generate text with a GPT-like model (key/value cache; past the context the window slides) or an LSTM model (carried states, any length).")
        {
            model, prompt, tokens, temperature, topK, seed, threads,
        };
        command.SetAction(parsed =>
        {
            var options = new GenerationOptions
            {
                Tokens = parsed.GetValue(tokens),
                Temperature = parsed.GetValue(temperature),
                TopK = parsed.GetValue(topK),
                Seed = parsed.GetValue(seed),
            };
            options.Validate();
            int threadCount = parsed.GetValue(threads);
            if (threadCount < 0) throw new ArgumentException($"Threads cannot be negative; got {threadCount}.");
            Tensors.TensorSettings.Threads = threadCount;
            using LanguageModel loaded = ContextualCheckpoint.Load(parsed.GetValue(model)!.FullName);
            using var generator = new TextGenerator(loaded);
            var clock = Stopwatch.StartNew();
            string text = generator.Generate(parsed.GetValue(prompt)!, options);
            clock.Stop();
            output.WriteLine(text);
            error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"generated {options.Tokens} tokens in {clock.Elapsed.TotalMilliseconds:F0} ms ({clock.Elapsed.TotalMilliseconds / Math.Max(1, options.Tokens):F3} ms/token, prompt included)"));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>--model (-m): a checkpoint folder, shared by the commands that read one.</summary>
    public static Option<DirectoryInfo> ModelOption() =>
        new("--model", "-m") { Description = "Checkpoint folder (model.json and model.safetensors), as embed train gpt/bert/char-lm write.", Required = true };
}
