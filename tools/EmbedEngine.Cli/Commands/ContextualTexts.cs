using EmbedEngine.Models.Contextual;

namespace EmbedEngine.Cli.Commands;

/// <summary>A language model's training and validation text: two files, or one file split by characters, the end held out.</summary>
internal sealed record ContextualTexts(string Training, string Validation, string TrainingPath, string ValidationPath)
{
    /// <summary>Reads the texts.</summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="ArgumentException">A text is empty or the fraction is out of range.</exception>
    public static ContextualTexts Read(string input, string? validation, double fraction)
    {
        string text = ReadText(input);
        if (validation != null) return new ContextualTexts(text, ReadText(validation), input, validation);
        if (!(fraction > 0 && fraction < 1)) throw new ArgumentException($"--validation-fraction must be between 0 and 1; got {fraction}.");
        int cut = (int)(text.Length * (1 - fraction));
        if (cut > 0 && cut < text.Length && char.IsLowSurrogate(text[cut])) cut--; // never split a surrogate pair
        return new ContextualTexts(text[..cut], text[cut..], input, input + " (validation part)");
    }

    /// <summary>The token ids of <paramref name="text"/>, read from <paramref name="path"/>, which a character outside the vocabulary names.</summary>
    public static int[] Encode(LanguageModel model, string text, string path)
    {
        var ids = new List<int>();
        try
        {
            model.Tokenizer.Encode(text, ids);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{path}: {e.Message}", e);
        }
        return ids.ToArray();
    }

    /// <summary>A whole UTF-8 file; an empty one is bad input.</summary>
    public static string ReadText(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist.", path);
        string text = File.ReadAllText(path);
        return text.Length > 0 ? text : throw new ArgumentException($"{path} is empty.");
    }
}
