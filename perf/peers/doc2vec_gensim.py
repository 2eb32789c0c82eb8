#!/usr/bin/python3
"""gensim's Doc2Vec (PV-DBOW, or PV-DM with --dm 1) beside EmbedEngine's `embed train doc2vec` and `embed eval sts --doc2vec`.

Trains on one document per line with the same parameters (gensim's names: vector_size, negative, epochs,
min_count, sample, alpha, min_alpha, dm, dbow_words, window, workers; PV-DM with gensim's dm_mean default, the
mean of the document and context vectors, as embed's), then scores the STS sets as `embed eval sts`
does: each sentence's vector from infer_vector (words spelled as the comparison corpus: lowercase letters, digits,
apostrophes), cosine against the gold score, Spearman x100 per file, the plain mean per year; SICK-R on its own.

    apt-get install python3-gensim
    /usr/bin/python3 perf/peers/doc2vec_gensim.py corpus.txt --workers 2 [--dm 1]
"""
import argparse
import glob
import logging
import os
import re
import time

import numpy as np
from gensim.models.doc2vec import Doc2Vec, TaggedDocument
from scipy.stats import spearmanr

WORD = re.compile(r"[a-z0-9']+")


def words(text):
    return WORD.findall(text.lower())


def sts_files(root):
    for year in ("2012", "2013", "2014"):
        for path in sorted(glob.glob(os.path.join(root, year, "*.test.tsv"))):
            pairs = [line.rstrip("\n").split("\t") for line in open(path, encoding="utf-8") if line.strip()]
            yield "STS" + year[2:], os.path.basename(path), [(float(p[0]), p[1], p[2]) for p in pairs]
    for path in sorted(glob.glob(os.path.join(root, "sick2014", "SICK_*.txt"))):
        lines = open(path, encoding="utf-8").read().splitlines()
        header = lines[0].split("\t")
        a, b, s = header.index("sentence_A"), header.index("sentence_B"), header.index("relatedness_score")
        rows = [line.split("\t") for line in lines[1:] if line.strip()]
        yield "SICK-R", os.path.basename(path), [(float(r[s]), r[a], r[b]) for r in rows]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("corpus")
    p.add_argument("--sts", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "sts"))
    p.add_argument("--vector-size", type=int, default=100)
    p.add_argument("--negative", type=int, default=5)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--min-count", type=int, default=5)
    p.add_argument("--sample", type=float, default=1e-3)
    p.add_argument("--alpha", type=float, default=0.025)
    p.add_argument("--min-alpha", type=float, default=0.0001)
    p.add_argument("--dm", type=int, choices=(0, 1), default=0, help="1: PV-DM; 0: PV-DBOW (embed's default; gensim's is 1)")
    p.add_argument("--dbow-words", action="store_true")
    p.add_argument("--window", type=int, default=5)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    logging.basicConfig(level=logging.WARNING)
    documents = [TaggedDocument(w, [i]) for i, w in enumerate(words(line) for line in open(a.corpus, encoding="utf-8")) if w]
    model = Doc2Vec(dm=a.dm, vector_size=a.vector_size, negative=a.negative, hs=0, min_count=a.min_count, sample=a.sample, alpha=a.alpha,
                    min_alpha=a.min_alpha, dbow_words=int(a.dbow_words), window=a.window, workers=a.workers, seed=a.seed, epochs=a.epochs)
    model.build_vocab(documents)
    started = time.perf_counter()
    model.train(documents, total_examples=len(documents), epochs=a.epochs)
    seconds = time.perf_counter() - started
    words_total = sum(len(d.words) for d in documents) * a.epochs
    print(f"gensim {__import__('gensim').__version__} {'PV-DM' if a.dm else 'PV-DBOW'}: {len(documents)} documents, {len(model.wv)} words; trained in {seconds:.2f} s "
          f"({words_total / seconds / 1e6:.2f}M corpus words/s, vocabulary build excluded), {a.workers} workers")
    groups = {}
    for group, name, pairs in sts_files(a.sts):
        def vector(sentence):
            w = words(sentence)
            return model.infer_vector(w) if any(x in model.wv.key_to_index for x in w) else np.zeros(a.vector_size)
        cosines = []
        for _, s1, s2 in pairs:
            v1, v2 = vector(s1), vector(s2)
            n = np.linalg.norm(v1) * np.linalg.norm(v2)
            cosines.append(float(v1 @ v2 / n) if n > 0 else 0.0)
        rho = 100 * spearmanr(cosines, [g for g, _, _ in pairs]).correlation
        print(f"{group:7} {name:24} {len(pairs):5} pairs  Spearman {rho:6.2f}")
        groups.setdefault(group, []).append(rho)
    for group, values in groups.items():
        print(f"{group:7} mean of {len(values)} files: Spearman {sum(values) / len(values):.2f}")


if __name__ == "__main__":
    main()
