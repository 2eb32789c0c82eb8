using System.CommandLine;
using System.Globalization;
using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Commands;

/// <summary><c>embed similar</c>: nearest neighbours of words, or of a sum and difference of words.</summary>
internal static class SimilarCommand
{
    public static Command Create(TextWriter output)
    {
        var vectors = EvalCommand.VectorsOption();
        var words = new Argument<string[]>("words") { Description = "Words whose neighbours to list, one list each.", Arity = ArgumentArity.ZeroOrMore };
        var positive = new Option<string[]>("--positive") { Description = "Words to add (analogy query, e.g. king woman).", AllowMultipleArgumentsPerToken = true };
        var negative = new Option<string[]>("--negative") { Description = "Words to subtract (e.g. man).", AllowMultipleArgumentsPerToken = true };
        var top = new Option<int>("--top", "-n") { Description = "How many neighbours.", DefaultValueFactory = _ => 10 };
        var command = new Command("similar", "Nearest neighbours by cosine similarity.") { vectors, words, positive, negative, top };
        command.SetAction(parsed =>
        {
            string[] single = parsed.GetValue(words) ?? [];
            string[] plus = parsed.GetValue(positive) ?? [];
            string[] minus = parsed.GetValue(negative) ?? [];
            if (single.Length == 0 && plus.Length == 0)
                throw new ArgumentException("give words to look up, or --positive (and --negative) words for an analogy query");
            using KeyedVectors keyed = WordVectorFiles.Load(parsed.GetValue(vectors)!.FullName);
            int n = parsed.GetValue(top);
            foreach (string word in single)
                Write(word, keyed.MostSimilar(word, n), output);
            if (plus.Length > 0)
                Write($"{string.Join(" + ", plus)}{string.Concat(minus.Select(m => " - " + m))}", keyed.MostSimilar(plus, minus, n), output);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Prints one neighbour list.</summary>
    public static void Write(string query, IReadOnlyList<(string Word, float Similarity)> neighbours, TextWriter output)
    {
        output.WriteLine($"{query}:");
        foreach ((string word, float similarity) in neighbours)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {similarity,7:F4}  {word}"));
    }
}
