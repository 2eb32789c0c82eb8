#!/usr/bin/python3
"""Rare-word quality of word vectors, scored the same way for every .vec file given (issue 12's check).

The similarity and analogy sets in ../shared/data are mostly common words, where subword models and word models
look alike; this restricts them to words that are rare in the training corpus, where a word's vector leans on its
character n-grams:

  sim rarer<T     word-similarity pairs (MEN, MTurk-771, WS-353, RG-65, MC-30; repeats dropped) whose rarer word
                  occurs fewer than T times; Spearman per set, then the mean over sets weighted by pairs
  sim both<T      the same with both words rarer than T
  sim both>=200   common pairs, as a control
  analogy rare<T  Google analogies (3CosAdd over the whole vocabulary, the three inputs excluded) with a word rarer than T
  suffix rare<T   (w, w+s|ed|ing|ly|er|ion) pairs whose longer word is rarer than T: mean reciprocal rank of it among
                  w's nearest neighbours (0 past rank 100)

A pair or question counts only when all its words are in every file, so the tools are scored on the same items.

    /usr/bin/python3 perf/peers/rare_words.py corpus.txt embed.vec fasttext.vec [more.vec ...]
"""
import argparse
import collections

import numpy as np

DATA = "../shared/data"
SIMILARITY_SETS = ["EN-MEN-TR-3k.txt", "EN-MTurk-771.txt", "EN-WS-353-ALL.txt", "EN-RG-65.txt", "EN-MC-30.txt"]
SUFFIXES = ("s", "ed", "ing", "ly", "er", "ion")


def load_vectors(path):
    """Words and unit-length rows of a word2vec/fastText text file."""
    with open(path, encoding="utf-8", errors="replace") as lines:
        _, dimension = map(int, lines.readline().split())
        words, rows = [], []
        for line in lines:
            fields = line.rstrip().split(" ")
            if len(fields) == dimension + 1:
                words.append(fields[0])
                rows.append(np.array(fields[1:], dtype=np.float32))
    matrix = np.vstack(rows)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    return {word: i for i, word in enumerate(words)}, matrix


def spearman(x, y):
    """Spearman's rho with average ranks for ties."""
    def ranks(values):
        values = np.asarray(values, dtype=float)
        order = np.argsort(values, kind="mergesort")
        result = np.empty(len(values))
        start = 0
        while start < len(values):
            end = start
            while end + 1 < len(values) and values[order[end + 1]] == values[order[start]]:
                end += 1
            result[order[start:end + 1]] = (start + end) / 2 + 1
            start = end + 1
        return result - result.mean()
    rx, ry = ranks(x), ranks(y)
    return float((rx * ry).sum() / np.sqrt((rx * rx).sum() * (ry * ry).sum()))


def similarity_pairs():
    seen, sets = set(), {}
    for name in SIMILARITY_SETS:
        pairs = []
        with open(f"{DATA}/word-sim/{name}", encoding="utf-8") as lines:
            for line in lines:
                fields = line.lower().split()
                key = tuple(sorted(fields[:2])) if len(fields) >= 3 else None
                if key is None or key in seen:
                    continue
                seen.add(key)
                pairs.append((fields[0], fields[1], float(fields[2])))
        sets[name] = pairs
    return sets


def similarity(models, shared, counts, sets, keep):
    scores, total = [], 0
    for vocabulary, matrix in models:
        weighted, total = 0.0, 0
        for pairs in sets.values():
            chosen = [(a, b, s) for a, b, s in pairs if a in shared and b in shared and keep(counts[a], counts[b])]
            if len(chosen) < 5:
                continue
            cosines = [float(matrix[vocabulary[a]] @ matrix[vocabulary[b]]) for a, b, _ in chosen]
            weighted += spearman(cosines, [s for *_, s in chosen]) * len(chosen)
            total += len(chosen)
        scores.append(weighted / total if total else float("nan"))
    return scores, total


def analogies(models, shared, counts, below):
    with open(f"{DATA}/questions-words.txt", encoding="utf-8") as lines:
        questions = [line.lower().split() for line in lines if not line.startswith(":")]
    questions = [q for q in questions if len(q) == 4 and all(w in shared for w in q) and min(counts[w] for w in q) < below]
    scores = []
    for vocabulary, matrix in models:
        correct = 0
        for start in range(0, len(questions), 512):
            ids = np.array([[vocabulary[w] for w in q] for q in questions[start:start + 512]])
            rows = np.arange(len(ids))
            cosines = (matrix[ids[:, 1]] - matrix[ids[:, 0]] + matrix[ids[:, 2]]) @ matrix.T
            for column in range(3):
                cosines[rows, ids[:, column]] = -np.inf
            correct += int((cosines.argmax(1) == ids[:, 3]).sum())
        scores.append(correct / len(questions) if questions else float("nan"))
    return scores, len(questions)


def suffixes(models, shared, counts, below):
    pairs = [(w, w + s) for w in sorted(shared) if len(w) >= 4 for s in SUFFIXES if w + s in shared and counts[w + s] < below]
    scores = []
    for vocabulary, matrix in models:
        reciprocal = []
        for start in range(0, len(pairs), 512):
            batch = pairs[start:start + 512]
            bases = np.array([vocabulary[a] for a, _ in batch])
            variants = np.array([vocabulary[b] for _, b in batch])
            rows = np.arange(len(batch))
            cosines = matrix[bases] @ matrix.T
            cosines[rows, bases] = -np.inf
            rank = (cosines > cosines[rows, variants][:, None]).sum(1) + 1
            reciprocal += [1.0 / r if r <= 100 else 0.0 for r in rank]
        scores.append(float(np.mean(reciprocal)) if reciprocal else float("nan"))
    return scores, len(pairs)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", help="the training corpus (whitespace-separated words) the counts come from")
    parser.add_argument("vectors", nargs="+", help=".vec files to score")
    args = parser.parse_args()

    counts = collections.Counter()
    with open(args.corpus, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            counts.update(line.split())
    models = [load_vectors(path) for path in args.vectors]
    shared = set.intersection(*(set(vocabulary) for vocabulary, _ in models))
    sets = similarity_pairs()

    rows = [
        ("sim rarer<50", *similarity(models, shared, counts, sets, lambda a, b: min(a, b) < 50)),
        ("sim rarer<100", *similarity(models, shared, counts, sets, lambda a, b: min(a, b) < 100)),
        ("sim both<50", *similarity(models, shared, counts, sets, lambda a, b: max(a, b) < 50)),
        ("sim both<100", *similarity(models, shared, counts, sets, lambda a, b: max(a, b) < 100)),
        ("sim both>=200", *similarity(models, shared, counts, sets, lambda a, b: min(a, b) >= 200)),
        ("analogy rare<100", *analogies(models, shared, counts, 100)),
        ("analogy rare<300", *analogies(models, shared, counts, 300)),
        ("suffix rare<50", *suffixes(models, shared, counts, 50)),
    ]
    names = [path.rsplit("/", 1)[-1][:12] for path in args.vectors]
    print(f"{'check':<17} {'items':>6} " + " ".join(f"{name:>12}" for name in names))
    for check, scores, items in rows:
        print(f"{check:<17} {items:>6} " + " ".join(f"{score:>12.4f}" for score in scores))


if __name__ == "__main__":
    main()
