using System.CommandLine;
using EmbedEngine.Cli.Serving;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed serve</c>: loads the named models and serves OpenAI-shaped embeddings (and nearest words for word models)
/// over HTTP until interrupted.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(TextWriter output)
    {
        var models = new Option<string[]>("--model", "-m")
        {
            Description = "NAME=PATH, repeatable: word vectors (any format embed reads; mean of the words, a fastText .bin gives unseen words their n-grams), a model folder (GPT-like, BERT-like or biLM; mean of the final layer) or a Doc2Vec .safetensors.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var host = new Option<string>("--host") { Description = "Address to listen on (an IP; 0.0.0.0 for every interface).", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port", "-p") { Description = "Port (0: any free one, printed at start).", DefaultValueFactory = _ => 8080 };
        var maxBatch = new Option<int>("--max-batch") { Description = "Most texts one model encodes at once, gathered across connections.", DefaultValueFactory = _ => new ServeLimits().MaxBatch };
        var maxInputs = new Option<int>("--max-inputs") { Description = "Most texts in one request.", DefaultValueFactory = _ => new ServeLimits().MaxInputs };
        var maxChars = new Option<int>("--max-input-chars") { Description = "Longest text in characters.", DefaultValueFactory = _ => new ServeLimits().MaxInputChars };
        var maxBody = new Option<string>("--max-body") { Description = "Largest request body (e.g. 8M).", DefaultValueFactory = _ => "8M" };
        var command = new Command("serve", "Serve embeddings over HTTP: POST /v1/embeddings (OpenAI's shape), POST /v1/similar, GET /v1/models, GET /health.")
        {
            models, host, port, maxBatch, maxInputs, maxChars, maxBody,
        };
        command.SetAction(async (parsed, cancellation) =>
        {
            var limits = new ServeLimits(
                MaxBodyBytes: ByteSize.Parse(parsed.GetValue(maxBody)!),
                MaxInputs: Positive(parsed.GetValue(maxInputs), "--max-inputs"),
                MaxInputChars: Positive(parsed.GetValue(maxChars), "--max-input-chars"),
                MaxBatch: Positive(parsed.GetValue(maxBatch), "--max-batch"));
            int listenPort = parsed.GetValue(port);
            if (listenPort is < 0 or > 65535) throw new ArgumentException($"--port takes 0 … 65535; got {listenPort}.");
            List<ServedModel> served = [];
            try
            {
                foreach (string spec in parsed.GetValue(models)!) served.Add(Load(spec, limits, served));
            }
            catch
            {
                foreach (ServedModel model in served) await model.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            await using EmbeddingServer server = await EmbeddingServer.StartAsync(served, parsed.GetValue(host)!, listenPort, limits).ConfigureAwait(false);
            output.WriteLine($"serving {string.Join(", ", served.Select(m => $"{m.Name} ({m.Dimension} dims{(m.Words != null ? ", words" : "")})"))} on {server.Address}");
            output.Flush();
            // Ends on Ctrl-C (the token) or SIGTERM (the host's own handler stops it).
            await server.WaitAsync(cancellation).ConfigureAwait(false);
            output.WriteLine("stopped");
            return ExitCodes.Success;
        });
        return command;
    }

    private static ServedModel Load(string spec, ServeLimits limits, List<ServedModel> loaded)
    {
        int equals = spec.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == spec.Length - 1) throw new ArgumentException($"--model takes NAME=PATH; got '{spec}'.");
        string name = spec[..equals], path = spec[(equals + 1)..];
        if (loaded.Any(m => m.Name == name)) throw new ArgumentException($"Two models are called '{name}'.");
        EncoderChoice choice = Directory.Exists(path) ? new EncoderChoice(null, path, null)
            : path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) ? new EncoderChoice(null, null, path)
            : File.Exists(path) ? new EncoderChoice(path, null, null)
            : throw new FileNotFoundException($"{name}: {path} does not exist.", path);
        return new ServedModel(name, SentenceEncoderArguments.Open(choice), limits);
    }

    private static int Positive(int value, string option) =>
        value > 0 ? value : throw new ArgumentException($"{option} must be positive; got {value}.");
}
