using System.CommandLine;
using EmbedEngine.Kernels;
using EmbedEngine.Text;

namespace EmbedEngine.Cli.Commands;

/// <summary>The input of every command that learns from 'embed cooccur': the matrix and its vocabulary.</summary>
internal sealed class CooccurrenceArguments
{
    /// <summary>--input (-i): the matrix.</summary>
    public Option<FileInfo> Input { get; } =
        new("--input", "-i") { Description = "Co-occurrence matrix written by 'embed cooccur'.", Required = true };

    /// <summary>--vocab: its vocabulary, beside it by default.</summary>
    public Option<FileInfo?> Vocabulary { get; } = new("--vocab") { Description = "Its vocabulary (default: <input>.vocab)." };

    /// <summary>Loads the matrix and its vocabulary, and checks that they belong together.</summary>
    /// <exception cref="CorpusException">Either file is missing, truncated or corrupt.</exception>
    /// <exception cref="ArgumentException">The vocabulary has another number of words than the matrix has rows.</exception>
    public (CsrMatrix Counts, Vocabulary Vocabulary) Load(ParseResult parsed)
    {
        string matrixPath = parsed.GetValue(Input)!.FullName;
        string vocabularyPath = parsed.GetValue(Vocabulary)?.FullName ?? matrixPath + ".vocab";
        CsrMatrix counts = CooccurrenceFile.Load(matrixPath);
        Vocabulary vocabulary = VocabularyFile.Load(vocabularyPath);
        if (vocabulary.Count != counts.Rows)
            throw new ArgumentException(
                $"the vocabulary {vocabularyPath} has {vocabulary.Count} words but the matrix {matrixPath} has {counts.Rows} rows; pass the vocabulary written with it (--vocab)");
        return (counts, vocabulary);
    }
}
