using System.CommandLine;
using System.Globalization;
using EmbedEngine.Text.Tokenizers;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed tokenize</c>: text to token ids (or token strings) with a byte-level BPE vocabulary, or ids back to
/// text with <c>--decode</c>.
/// </summary>
internal static class TokenizeCommand
{
    public static Command Create(TextWriter output)
    {
        var vocab = new Option<FileInfo>("--vocab") { Description = "GPT-2-style vocab.json.", Required = true };
        var merges = new Option<FileInfo>("--merges") { Description = "GPT-2-style merges.txt.", Required = true };
        var input = new Option<FileInfo?>("--input", "-i") { Description = "Read the text (or, with --decode, the ids) from this file; its bytes are encoded as they are, invalid UTF-8 included." };
        var tokens = new Option<bool>("--tokens") { Description = "Print the token strings (GPT-2's byte-to-character form, Ġ for a space) instead of ids." };
        var decode = new Option<bool>("--decode") { Description = "Turn ids (arguments or --input) back into text." };
        var text = new Argument<string[]>("text") { Description = "Text to encode (joined by spaces), or ids to decode.", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("tokenize", "Encode text to byte-level BPE token ids, or decode ids back to text.")
        {
            vocab, merges, input, tokens, decode, text,
        };
        command.SetAction(parsed =>
        {
            string[] words = parsed.GetValue(text) ?? [];
            FileInfo? file = parsed.GetValue(input);
            if (file is not null && words.Length > 0) throw new ArgumentException("give text arguments or --input FILE, not both");
            if (file is null && words.Length == 0) throw new ArgumentException("give text to encode (or ids to decode) as arguments or with --input FILE");
            ByteLevelBpe tokenizer = ByteLevelBpe.Load(parsed.GetValue(vocab)!.FullName, parsed.GetValue(merges)!.FullName);
            if (parsed.GetValue(decode))
            {
                string source = file is null ? "the arguments" : file.FullName;
                string idText = file is null ? string.Join(' ', words) : File.ReadAllText(file.FullName);
                output.WriteLine(tokenizer.Decode(ParseIds(idText, source)));
                return ExitCodes.Success;
            }
            var ids = new List<int>();
            if (file is null) tokenizer.Encode(string.Join(' ', words), ids);
            else tokenizer.EncodeBytes(File.ReadAllBytes(file.FullName), ids);
            output.WriteLine(parsed.GetValue(tokens)
                ? string.Join(' ', ids.Select(tokenizer.TokenOf))
                : string.Join(' ', ids.Select(id => id.ToString(CultureInfo.InvariantCulture))));
            return ExitCodes.Success;
        });
        return command;
    }

    private static int[] ParseIds(string text, string source)
    {
        string[] parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var ids = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out ids[i]))
                throw new ArgumentException($"{source}: '{parts[i]}' (item {i + 1}) is not a token id");
        return ids;
    }
}
