using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EmbedEngine.Text.Tokenizers;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed train bpe</c>: learns GPT-2-style byte-level BPE from text files and writes GPT-2's vocab.json and
/// merges.txt into a folder (the layout GPT-2, Hugging Face and <c>embed tokenize</c> read).
/// </summary>
internal static class BpeTrainCommand
{
    private static readonly BpeTrainingOptions Defaults = new();

    public static Command Create(TextWriter output, TextWriter error)
    {
        var inputs = new Option<FileInfo[]>("--input", "-i") { Description = "Corpus file (UTF-8 text, plain or gzip); repeat for more.", Required = true };
        var target = new Option<DirectoryInfo>("--output", "-o") { Description = "Folder to write vocab.json and merges.txt into (created if missing).", Required = true };
        var size = new Option<int>("--vocab-size") { Description = "Vocabulary size: 256 byte tokens + merges (+ <|endoftext|>).", DefaultValueFactory = _ => Defaults.VocabularySize };
        var noEndOfText = new Option<bool>("--no-end-of-text") { Description = "Leave out GPT-2's <|endoftext|> token (by default the last id)." };
        var command = new Command("bpe", "Learn a byte-level BPE tokenizer (GPT-2's scheme) and write vocab.json and merges.txt.")
        {
            inputs, target, size, noEndOfText,
        };
        command.SetAction((parsed, cancellation) =>
        {
            var options = new BpeTrainingOptions { VocabularySize = parsed.GetValue(size), AddEndOfText = !parsed.GetValue(noEndOfText) };
            options.Validate();
            string[] corpora = [.. parsed.GetValue(inputs)!.Select(file => file.FullName)];
            return Task.FromResult(Run(corpora, parsed.GetValue(target)!.FullName, options, output, error, cancellation));
        });
        return command;
    }

    private static int Run(string[] corpora, string folder, BpeTrainingOptions options, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        error.WriteLine($"bpe: learning a vocabulary of {options.VocabularySize} from {string.Join(", ", corpora)}");
        var clock = Stopwatch.StartNew();
        BpeTrainingResult result = BpeTrainer.Train(corpora, options, cancellation);
        ByteLevelBpe tokenizer = result.Tokenizer;
        Directory.CreateDirectory(folder);
        string vocab = Path.Combine(folder, "vocab.json"), merges = Path.Combine(folder, "merges.txt");
        tokenizer.Save(vocab, merges);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"counted {result.PreTokens} pre-tokens ({result.DistinctPreTokens} distinct) in {result.Counting.TotalSeconds:F2} s, learned {tokenizer.MergeCount} merges in {result.Merging.TotalSeconds:F2} s; {clock.Elapsed.TotalSeconds:F2} s in all"));
        if (tokenizer.VocabularySize < options.VocabularySize)
            output.WriteLine($"note: the corpus ran out of pairs to merge; the vocabulary has {tokenizer.VocabularySize} tokens, not {options.VocabularySize}");
        output.WriteLine($"wrote {tokenizer.VocabularySize} tokens to {vocab} and {tokenizer.MergeCount} merges to {merges}");
        return ExitCodes.Success;
    }
}
