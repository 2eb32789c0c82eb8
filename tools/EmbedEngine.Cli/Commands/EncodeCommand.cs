using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using EmbedEngine.Cli.Console;
using EmbedEngine.Kernels;
using EmbedEngine.Kernels.IO;
using EmbedEngine.Models.Sentence;
using EmbedEngine.Models.Training;
using EmbedEngine.Tensors;
using EmbedEngine.Vectors;
using EmbedEngine.Vectors.Formats;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed encode</c>: one vector per input line from any sentence encoder (<see cref="SentenceEncoderArguments"/>),
/// written atomically as text (one vector a line), a NumPy .npy matrix or a .eev keyed by line number; progress and the
/// rate go to standard error.
/// </summary>
internal static class EncodeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var encoder = new SentenceEncoderArguments();
        var input = new Option<FileInfo>("--input", "-i") { Description = "Sentences (UTF-8), one a line; an empty line gets the zero vector.", Required = true };
        var target = new Option<FileInfo>("--output", "-o") { Description = "Where to write the vectors: .txt (one a line, space-separated), .npy (a float32 matrix) or .eev (EmbedEngine's memory-mapped vectors, keyed by line number).", Required = true };
        var threads = new Option<int>("--threads") { Description = "Threads (0: one per core): ranges of lines for word-vector and Doc2Vec encoders, the kernels' for models.", DefaultValueFactory = _ => 0 };
        var command = new Command("encode", "Encode sentences into vectors with word vectors, a biLM or a transformer.") { input, target, threads };
        encoder.AddTo(command);
        command.SetAction(parsed =>
        {
            string path = parsed.GetValue(target)!.FullName;
            bool npy = path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase), eev = path.EndsWith(".eev", StringComparison.OrdinalIgnoreCase);
            if (!npy && !eev && !path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"{path}: the output is .txt, .npy or .eev.");
            int threadCount = parsed.GetValue(threads) is > 0 and var t ? t : Environment.ProcessorCount;
            TensorSettings.Threads = parsed.GetValue(threads);
            string[] sentences = SentenceLines.Read(parsed.GetValue(input)!.FullName);
            (ISentenceEncoder sentenceEncoder, IDisposable owner) = encoder.Open(parsed);
            using (owner)
            {
                int dimension = sentenceEncoder.Dimension;
                var vectors = new float[(long)sentences.Length * dimension];
                var clock = Stopwatch.StartNew();
                // Encoders without shared scratch take ranges of lines on separate threads; the others (models) take
                // chunks of lines on this one, which they batch through the kernels' threads.
                int workers = sentenceEncoder.IsThreadSafe ? Math.Max(1, Math.Min(threadCount, sentences.Length)) : 1;
                int chunk = sentenceEncoder.IsThreadSafe ? 1 : ModelChunk;
                long done = 0;
                ProgressReporter.ForStandardError(error, unit: "sentences", step: "line").Follow(null, report =>
                {
                    var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(() =>
                    {
                        int first = (int)((long)sentences.Length * w / workers), end = (int)((long)sentences.Length * (w + 1) / workers);
                        for (int i = first; i < end; i += chunk)
                        {
                            int count = Math.Min(chunk, end - i);
                            sentenceEncoder.EncodeBatch(new ArraySegment<string>(sentences, i, count), vectors.AsSpan(i * dimension, count * dimension));
                            Interlocked.Add(ref done, count);
                        }
                    })).ToArray();
                    while (!Task.WaitAll(tasks, ProgressReporter.Interval))
                        report(new TrainingProgress(Interlocked.Read(ref done), sentences.Length, (int)Interlocked.Read(ref done), float.NaN, double.NaN, clock.Elapsed));
                    report(new TrainingProgress(sentences.Length, sentences.Length, sentences.Length, float.NaN, double.NaN, clock.Elapsed));
                    return 0;
                });
                clock.Stop();
                if (eev) WriteNative(path, vectors, sentences.Length, dimension);
                else AtomicFile.Write(path, stream =>
                {
                    if (npy)
                    {
                        NpyWriter.WriteMatrix(stream, sentences.Length, dimension, vectors);
                        return;
                    }
                    using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
                    var line = new StringBuilder();
                    for (int i = 0; i < sentences.Length; i++)
                    {
                        line.Clear();
                        for (int c = 0; c < dimension; c++) line.Append(c == 0 ? "" : " ").Append(vectors[(long)i * dimension + c].ToString("G7", CultureInfo.InvariantCulture));
                        writer.WriteLine(line);
                    }
                });
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"encoded {sentences.Length} sentences into {dimension} dimensions in {clock.Elapsed.TotalSeconds:F2} s ({sentences.Length / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):F0} sentences/s); wrote {path}"));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Lines a model encoder gets at once: enough to sort into full batches, few enough for steady progress.</summary>
    private const int ModelChunk = 1024;

    /// <summary>The vectors as EmbedEngine's memory-mapped .eev, keyed by line number, as embed search's cache keeps them.</summary>
    private static void WriteNative(string path, float[] vectors, int rows, int dimension)
    {
        NativeMatrix matrix = NativeMatrix.Allocate(rows, dimension);
        for (int i = 0; i < rows; i++) vectors.AsSpan(i * dimension, dimension).CopyTo(matrix.Row(i));
        using KeyedVectors keyed = SentenceLines.KeyedByLine(matrix);
        VectorFile.Save(keyed, path, VectorFormat.Native);
    }
}
