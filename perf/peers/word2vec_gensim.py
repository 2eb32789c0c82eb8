#!/usr/bin/python3
"""gensim's Word2Vec beside EmbedEngine's `embed train word2vec`, with the same parameters, saving word2vec binary.

Trains on a corpus file read by gensim's LineSentence (one sentence per line; lines longer than 10,000 words are
cut into 10,000-word pieces) with gensim's names for embed's flags: sg (embed's --cbow 0 is sg 1), vector_size,
window, negative, sample, min_count, epochs, alpha, workers, seed. alpha defaults to embed's (and word2vec.c's):
0.025 for skip-gram, 0.05 for CBOW, where gensim's own default is 0.025 for both. Prints the training time (the
vocabulary scan excluded) and corpus words/s, then saves the vectors, which `embed eval analogy` and
`embed eval similarity` score like embed's own.

    apt-get install python3-gensim
    /usr/bin/python3 perf/peers/word2vec_gensim.py corpus.txt vectors.bin --sg 1 --workers 2 --seed 1
"""
import argparse
import logging
import time

import gensim
from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("corpus")
    p.add_argument("output", help="word2vec binary vectors to write")
    p.add_argument("--sg", type=int, choices=(0, 1), default=1, help="1: skip-gram; 0: CBOW (cbow_mean=1, as embed)")
    p.add_argument("--vector-size", type=int, default=200)
    p.add_argument("--window", type=int, default=5)
    p.add_argument("--negative", type=int, default=5)
    p.add_argument("--sample", type=float, default=1e-4)
    p.add_argument("--min-count", type=int, default=5)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--alpha", type=float, help="default: 0.025 skip-gram, 0.05 CBOW (embed's)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--decay", choices=("examples", "words"), default="examples",
                   help="what the linear learning-rate decay counts: sentences (gensim's usual total_examples call) or "
                        "words (total_words, as embed and word2vec.c); they differ where line lengths vary a lot")
    a = p.parse_args()
    logging.basicConfig(level=logging.WARNING)
    alpha = a.alpha if a.alpha is not None else (0.025 if a.sg else 0.05)
    sentences = LineSentence(a.corpus)
    model = Word2Vec(sg=a.sg, cbow_mean=1, hs=0, vector_size=a.vector_size, window=a.window, negative=a.negative,
                     sample=a.sample, min_count=a.min_count, alpha=alpha, workers=a.workers, seed=a.seed)
    model.build_vocab(sentences)
    started = time.perf_counter()
    if a.decay == "examples":
        model.train(sentences, total_examples=model.corpus_count, epochs=a.epochs)
    else:
        model.train(sentences, total_words=model.corpus_total_words, epochs=a.epochs)
    seconds = time.perf_counter() - started
    words = model.corpus_total_words * a.epochs
    print(f"gensim {gensim.__version__} {'skip-gram' if a.sg else 'CBOW'}: {len(model.wv)} words, alpha {alpha}; "
          f"trained in {seconds:.2f} s ({words / seconds / 1e6:.3f}M corpus words/s, vocabulary scan excluded), "
          f"{a.workers} workers, seed {a.seed}, decay by {a.decay}")
    model.wv.save_word2vec_format(a.output, binary=True)


if __name__ == "__main__":
    main()
