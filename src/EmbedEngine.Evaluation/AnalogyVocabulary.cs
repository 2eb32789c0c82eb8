using EmbedEngine.Vectors;

namespace EmbedEngine.Evaluation;

/// <summary>
/// The words an analogy evaluation may use (the first <c>rows</c>, i.e. the most frequent) and how question words
/// map onto them. Case-insensitively, every spelling of a word ("Paris", "paris", "PARIS") belongs to one group,
/// represented by its most frequent member, as gensim's evaluate_word_analogies does: a question word finds the
/// group, an answer is right when it is in the expected group, and no member of a question word's group counts
/// as an answer.
/// </summary>
internal sealed class AnalogyVocabulary
{
    private readonly KeyedVectors _vectors;
    private readonly Dictionary<string, int>? _groupByLowercase;
    private readonly int[]? _groupOfRow;

    public AnalogyVocabulary(KeyedVectors vectors, int rows, bool caseInsensitive)
    {
        _vectors = vectors;
        Rows = rows;
        LargestGroup = 1;
        if (!caseInsensitive) return;
        _groupByLowercase = new Dictionary<string, int>(rows, StringComparer.Ordinal);
        _groupOfRow = new int[rows];
        var groupSizes = new Dictionary<int, int>();
        for (int row = 0; row < rows; row++)
        {
            string lowercase = vectors.Words[row].ToLowerInvariant();
            if (!_groupByLowercase.TryGetValue(lowercase, out int group))
            {
                group = row; // rows run most frequent first, so the first spelling seen represents the group
                _groupByLowercase.Add(lowercase, group);
            }
            _groupOfRow[row] = group;
            int size = groupSizes[group] = groupSizes.GetValueOrDefault(group) + 1;
            LargestGroup = Math.Max(LargestGroup, size);
        }
    }

    /// <summary>How many of the most frequent rows are considered.</summary>
    public int Rows { get; }

    /// <summary>The most spellings any one word has among the considered rows (1 when case matters).</summary>
    public int LargestGroup { get; }

    /// <summary>
    /// Ranked candidates needed per question so that one survives excluding the three question words' groups.
    /// </summary>
    public int CandidatesPerQuestion => 3 * LargestGroup + 1;

    /// <summary>The row representing <paramref name="word"/>'s group, or -1 if it is outside the considered rows.</summary>
    public int Find(string word)
    {
        if (_groupByLowercase is not null)
            return _groupByLowercase.TryGetValue(word.ToLowerInvariant(), out int group) ? group : -1;
        int row = _vectors.IndexOf(word);
        return row < Rows ? row : -1;
    }

    /// <summary>The group (representative row) of a considered row.</summary>
    public int GroupOf(int row) => _groupOfRow is null ? row : _groupOfRow[row];
}
