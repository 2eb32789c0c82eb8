using EmbedEngine.Models.Sentence;
using EmbedEngine.Models.Word2Vec;
using EmbedEngine.Vectors;

// Skip-gram on the State of the Union sample (1.8M words, gzip), small enough to train in seconds.
var options = new Word2VecOptions { Architecture = Word2VecArchitecture.SkipGram, Sample = 1e-4, Epochs = 3 };
using (KeyedVectors trained = Word2VecTrainer.Train(Path.Combine(AppContext.BaseDirectory, "sotu.txt.gz"), options).Vectors)
    trained.Save("sotu.bin");

using var vectors = KeyedVectors.Load("sotu.bin");
Console.WriteLine("most similar to army:");
foreach (var (word, similarity) in vectors.MostSimilar("army", topN: 5))
    Console.WriteLine($"  {word} {similarity:F4}");
Console.WriteLine($"similarity(army, navy) = {vectors.Similarity("army", "navy"):F4}");

var encoder = new MeanPoolingEncoder(vectors);
string[] sentences = ["Congress declared war.", "The army fought a battle."];
float[][] embeddings = encoder.Encode(sentences);
Console.WriteLine($"sentence similarity = {encoder.Similarity(sentences[0], sentences[1]):F4} ({embeddings[0].Length} dimensions)");
