namespace EmbedEngine.Evaluation;

/// <summary>
/// Consecutive questions whose queries fit the score buffer: one query per question, or (by word) one per
/// distinct word, with each question's three words mapped to their query slots.
/// </summary>
internal sealed class AnalogyChunk(bool byWord)
{
    private readonly Dictionary<int, int> _slotOfWord = [];

    /// <summary>Whether queries are the distinct question words (else one b - a + c query per question).</summary>
    public bool ByWord => byWord;

    /// <summary>The questions of the chunk, as rows of a, b and c.</summary>
    public List<(int A, int B, int C)> Questions { get; } = [];

    /// <summary>By word: the query slots of each question's a, b and c.</summary>
    public List<(int A, int B, int C)> QuestionSlots { get; } = [];

    /// <summary>By word: the row of the word in each query slot.</summary>
    public List<int> Words { get; } = [];

    /// <summary>Query vectors the chunk needs scored.</summary>
    public int QueryCount => byWord ? Words.Count : Questions.Count;

    /// <summary>Takes questions from <paramref name="start"/> on while their queries fit <paramref name="maxQueries"/>.</summary>
    public void Fill(IReadOnlyList<(int A, int B, int C)> questions, int start, int maxQueries)
    {
        Questions.Clear();
        QuestionSlots.Clear();
        Words.Clear();
        _slotOfWord.Clear();
        for (int i = start; i < questions.Count; i++)
        {
            var question = questions[i];
            if (QueryCount + NewQueries(question) > maxQueries) break;
            Questions.Add(question);
            if (byWord) QuestionSlots.Add((Slot(question.A), Slot(question.B), Slot(question.C)));
        }
    }

    private int NewQueries((int A, int B, int C) question)
    {
        if (!byWord) return 1;
        int added = _slotOfWord.ContainsKey(question.A) ? 0 : 1;
        if (question.B != question.A && !_slotOfWord.ContainsKey(question.B)) added++;
        if (question.C != question.A && question.C != question.B && !_slotOfWord.ContainsKey(question.C)) added++;
        return added;
    }

    private int Slot(int word)
    {
        if (!_slotOfWord.TryGetValue(word, out int slot))
        {
            slot = Words.Count;
            Words.Add(word);
            _slotOfWord.Add(word, slot);
        }
        return slot;
    }
}
