using System.Globalization;

namespace EmbedEngine.Cli.Tests;

/// <summary><c>embed encode</c>: one vector per line, as text or .npy, from word vectors or a transformer.</summary>
public sealed class EncodeTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Vectors() => _folder.Write("vectors.txt", "the 1 0\nlazy 0 1\ndog 1 1\n");

    [Fact]
    public void Word_vectors_encode_every_line_as_text_with_the_zero_vector_for_an_empty_line()
    {
        string output = _folder.File("out.txt");
        CliRun run = CliRun.Of("encode", "-v", Vectors(), "-i", _folder.Write("s.txt", "The lazy dog.\n\nzebra\nlazy\n"), "-o", output);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("encoded 4 sentences into 2 dimensions", run.Output, StringComparison.Ordinal);
        string[] lines = File.ReadAllLines(output);
        Assert.Equal(["0.6666667 0.6666667", "0 0", "0 0", "0 1"], lines);
    }

    [Fact]
    public void Two_threads_write_the_same_vectors_as_one()
    {
        string sentences = _folder.Write("many.txt", string.Concat(Enumerable.Range(0, 101).Select(i => (i % 3) switch { 0 => "the dog\n", 1 => "lazy lazy the\n", _ => "\n" })));
        string one = _folder.File("one.npy"), two = _folder.File("two.npy");
        Assert.Equal(0, CliRun.Of("encode", "-v", Vectors(), "-i", sentences, "-o", one, "--threads", "1").ExitCode);
        Assert.Equal(0, CliRun.Of("encode", "-v", Vectors(), "-i", sentences, "-o", two, "--threads", "2").ExitCode);
        Assert.Equal(File.ReadAllBytes(one), File.ReadAllBytes(two));
        Assert.Contains("'shape': (101, 2)", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(two), 10, 60), StringComparison.Ordinal);
        string native = _folder.File("lines.eev");
        Assert.Equal(0, CliRun.Of("encode", "-v", Vectors(), "-i", sentences, "-o", native).ExitCode);
        using EmbedEngine.Vectors.KeyedVectors keyed = EmbedEngine.Vectors.VectorFile.Load(native);
        Assert.Equal(101, keyed.Count);
        Assert.Equal([1f, 0.5f], keyed.Vector("1").ToArray()); // line 1, "the dog"
    }

    [Fact]
    public void A_npy_output_holds_a_float32_matrix_numpy_can_read()
    {
        string output = _folder.File("out.npy");
        CliRun run = CliRun.Of("encode", "-v", Vectors(), "-i", _folder.Write("s.txt", "the dog\nlazy\n"), "-o", output);
        Assert.True(run.ExitCode == 0, run.Error);
        byte[] bytes = File.ReadAllBytes(output);
        Assert.Equal([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0], bytes[..8]);
        int headerLength = bytes[8] | bytes[9] << 8;
        Assert.Equal(0, (10 + headerLength) % 64);
        string header = System.Text.Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", header, StringComparison.Ordinal);
        Assert.EndsWith("\n", header, StringComparison.Ordinal);
        float[] values = [.. Enumerable.Range(0, 4).Select(i => BitConverter.ToSingle(bytes, 10 + headerLength + 4 * i))];
        Assert.Equal([1f, 0.5f, 0f, 1f], values);
        Assert.Equal(10 + headerLength + 16, bytes.Length);
    }

    [Fact]
    public void Bad_encode_input_is_refused_and_nothing_is_written()
    {
        string sentences = _folder.Write("s.txt", "the dog\n");
        BadInputTests.AssertBadInput(CliRun.Of("encode", "-v", Vectors(), "-i", sentences, "-o", _folder.File("out.csv")), "the output is .txt, .npy or .eev");
        BadInputTests.AssertBadInput(CliRun.Of("encode", "-v", Vectors(), "-i", _folder.File("absent.txt"), "-o", _folder.File("out.txt")), "absent.txt does not exist");
        BadInputTests.AssertBadInput(CliRun.Of("encode", "-v", Vectors(), "-i", _folder.Write("empty.txt", ""), "-o", _folder.File("out.txt")), "empty.txt is empty");
        BadInputTests.AssertBadInput(CliRun.Of("encode", "-v", Vectors(), "--layer", "1", "-i", sentences, "-o", _folder.File("out.txt")), "word vectors have no layers");
        BadInputTests.AssertBadInput(CliRun.Of("encode", "-v", Vectors(), "--pooling", "fasttext", "-i", sentences, "-o", _folder.File("out.txt")), "--pooling fasttext needs a fastText .bin model");
        Assert.False(File.Exists(_folder.File("out.txt")));

        string gpt = _folder.File("gpt");
        CliRun train = CliRun.Of("train", "gpt", "-i", _folder.Write("corpus.txt", string.Concat(Enumerable.Repeat("the lazy dog sleeps. ", 30))),
            "--layers", "1", "--heads", "2", "--dim", "16", "--context", "16", "--batch", "2", "--iters", "2", "--threads", "1", "-o", gpt);
        Assert.True(train.ExitCode == 0, train.Error);
        BadInputTests.AssertBadInput(CliRun.Of("encode", "-m", gpt, "--pooling", "cls", "-i", sentences, "-o", _folder.File("out.txt")), "[CLS] pooling needs a BERT-like model");
        CliRun run = CliRun.Of("encode", "-m", gpt, "-i", _folder.Write("long.txt", "the lazy dog sleeps. the lazy dog sleeps.\n"), "-o", _folder.File("gpt.txt"), "--layer", "1");
        Assert.True(run.ExitCode == 0, run.Error); // longer than the context of 16: cut to its first tokens
        Assert.Equal(16, File.ReadAllText(_folder.File("gpt.txt")).Trim().Split(' ').Length);
        Assert.All(File.ReadAllText(_folder.File("gpt.txt")).Trim().Split(' '), v => float.Parse(v, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_fasttext_model_gives_unseen_words_their_n_gram_vectors_in_mean_pooling()
    {
        string model = Path.Combine(AppContext.BaseDirectory, "Fixtures", "FastText", "tiny-skipgram.bin");
        string output = _folder.File("unseen.txt");
        CliRun run = CliRun.Of("encode", "-v", model, "-i", _folder.Write("unseen-lines.txt", "zebrafishes\n"), "-o", output);
        Assert.True(run.ExitCode == 0, run.Error);
        CliRun word = CliRun.Of("vectors", "-m", model, "zebrafishes");
        Assert.True(word.ExitCode == 0, word.Error);
        float[] encoded = [.. File.ReadAllText(output).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(v => float.Parse(v, CultureInfo.InvariantCulture))];
        float[] expected = [.. word.Output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => float.Parse(v, CultureInfo.InvariantCulture))];
        Assert.Equal(expected.Length, encoded.Length);
        Assert.Contains(encoded, v => v != 0f);
        Assert.Equal(expected, encoded, (a, b) => Math.Abs(a - b) <= 1e-4f * (1 + Math.Abs(a))); // embed vectors prints 5 significant digits
    }
}

public sealed class Doc2VecCliTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Train_doc2vec_writes_a_model_that_encodes_and_bad_options_are_refused()
    {
        string corpus = _folder.Write("corpus.txt", string.Concat(Enumerable.Repeat("the team won the match\nthe cook baked bread\n", 20)));
        string model = _folder.File("d2v.safetensors");
        CliRun run = CliRun.Of("train", "doc2vec", "-i", corpus, "-o", model, "--vector-size", "8", "--min-count", "1", "--epochs", "3", "--workers", "1");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("7 words, 40 document vectors of 8", run.Output, StringComparison.Ordinal);
        string vectors = _folder.File("v.txt");
        run = CliRun.Of("encode", "--doc2vec", model, "-i", _folder.Write("s.txt", "The team baked bread!\nzebra\n"), "-o", vectors);
        Assert.True(run.ExitCode == 0, run.Error);
        string[] lines = File.ReadAllLines(vectors);
        Assert.Equal(8, lines[0].Split(' ').Length);
        Assert.Equal(string.Join(' ', Enumerable.Repeat("0", 8)), lines[1]);
        BadInputTests.AssertBadInput(CliRun.Of("encode", "--doc2vec", model, "--pooling", "mean", "-i", vectors, "-o", _folder.File("x.txt")), "--pooling and --layer do not apply");
        BadInputTests.AssertBadInput(CliRun.Of("train", "doc2vec", "-i", corpus, "-o", _folder.File("bad"), "--negative", "0"), "negative must be in 1..100");
        BadInputTests.AssertBadInput(CliRun.Of("train", "doc2vec", "-i", _folder.Write("punct.txt", "!!! ...\n"), "-o", _folder.File("bad")), "has no words");
        BadInputTests.AssertBadInput(CliRun.Of("encode", "--doc2vec", corpus, "-i", vectors, "-o", _folder.File("x.txt")), "corpus.txt");
        Assert.False(File.Exists(_folder.File("bad")));
    }
}
