namespace EmbedEngine.Models.Count;

/// <summary>
/// How TF-IDF turns documents into weighted term vectors. The defaults are scikit-learn's TfidfVectorizer's
/// (lowercase words of two or more characters, smooth idf, l2 norm), so results compare one to one.
/// </summary>
public sealed record TfIdfOptions
{
    /// <summary>What a term is: word n-grams or character n-grams.</summary>
    public TfIdfAnalyzer Analyzer { get; init; } = TfIdfAnalyzer.Word;

    /// <summary>Lowercase the text before cutting it into terms.</summary>
    public bool Lowercase { get; init; } = true;

    /// <summary>The shortest n-gram, in words or characters; at least 1.</summary>
    public int MinN { get; init; } = 1;

    /// <summary>The longest n-gram, in words or characters; at least <see cref="MinN"/>.</summary>
    public int MaxN { get; init; } = 1;

    /// <summary>Drop terms held by fewer documents than this (<c>min_df</c>; default 1 document).</summary>
    public DocumentFrequencyBound MinDf { get; init; } = DocumentFrequencyBound.Documents(1);

    /// <summary>Drop terms held by more documents than this (<c>max_df</c>; default the fraction 1.0, i.e. none).</summary>
    public DocumentFrequencyBound MaxDf { get; init; } = DocumentFrequencyBound.Fraction(1.0);

    /// <summary>Keep only this many terms, the most frequent over the corpus (<c>max_features</c>); 0 keeps all.</summary>
    public int MaxFeatures { get; init; }

    /// <summary>
    /// 0: learn a vocabulary. Otherwise the hashing trick with this many features (a power of two): a term's
    /// feature is |MurmurHash3_x86_32(UTF-8, seed 0)| mod n, as scikit-learn's HashingVectorizer with
    /// <c>alternate_sign=False</c> computes it, and no vocabulary is stored.
    /// </summary>
    public int HashFeatures { get; init; }

    /// <summary>
    /// Count a term once per document however often it occurs (<c>binary=True</c>); max-features then ranks terms
    /// by how many documents hold them, as scikit-learn's summed binary counts do.
    /// </summary>
    public bool BinaryTf { get; init; }

    /// <summary>Use 1 + ln(tf) instead of the raw count tf (<c>sublinear_tf</c>).</summary>
    public bool SublinearTf { get; init; }

    /// <summary>How document frequency weighs terms.</summary>
    public IdfWeighting Idf { get; init; } = IdfWeighting.Smooth;

    /// <summary>Scale each document vector to unit Euclidean length (<c>norm='l2'</c>); false leaves it as weighted.</summary>
    public bool L2Normalize { get; init; } = true;

    /// <summary>Whether terms are hashed rather than looked up in a learned vocabulary.</summary>
    public bool UsesHashing => HashFeatures != 0;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">
    /// An option is out of range or two options contradict; the message says which, in words fit for a user.
    /// </exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Analyzer)) throw new ArgumentException($"Unknown analyzer {(int)Analyzer}.");
        if (!Enum.IsDefined(Idf)) throw new ArgumentException($"Unknown idf weighting {(int)Idf}.");
        if (MinN < 1 || MaxN < MinN)
            throw new ArgumentException($"The n-gram range must satisfy 1 <= min <= max, but it is {MinN}-{MaxN}.");
        MinDf.Validate("min-df");
        MaxDf.Validate("max-df");
        if (MaxFeatures < 0)
            throw new ArgumentException($"max-features must be 0 (all) or more, but it is {MaxFeatures}.");
        if (HashFeatures < 0 || (HashFeatures != 0 && !int.IsPow2(HashFeatures)))
            throw new ArgumentException($"The number of hash features must be a power of two, but it is {HashFeatures}.");
        bool prunes = MinDf != DocumentFrequencyBound.Documents(1) || MaxDf != DocumentFrequencyBound.Fraction(1.0) || MaxFeatures != 0;
        if (UsesHashing && prunes)
            throw new ArgumentException("min-df, max-df and max-features prune a learned vocabulary; hashed features have none to prune.");
    }
}
