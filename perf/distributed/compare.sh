#!/usr/bin/env bash
# Issue 18's side-by-side on one machine: word2vec, GloVe and the MLP as 1 process × 2 threads and as 2 ranks × 1 thread
# (mpirun on loopback), alternating, seeds 1-3, then every model scored. Usage: perf/distributed/compare.sh [corpus.txt]
# (default: the 2.2M-word comparison corpus, made if missing). Prints to standard output; writes only under /tmp.
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=${1:-/tmp/corpus.txt}
data=${DATA:-../shared/data}
[ -f "$corpus" ] || ../shared/scripts/make-corpus.sh "$corpus"
dotnet build -c Release tools/EmbedEngine.Cli -v q -nologo >/dev/null
embed=tools/EmbedEngine.Cli/bin/Release/net10.0/embed
ranks="mpirun --allow-run-as-root --oversubscribe -np 2 $embed"
out=/tmp/embed-distributed
mkdir -p $out

score() {
  $embed eval analogy -v "$1" -q "$data/questions-words.txt" --restrict 30000 | tail -1
  $embed eval similarity -v "$1" "$data/word-sim/EN-WS-353-ALL.txt" "$data/word-sim/EN-MEN-TR-3k.txt" "$data/word-sim/EN-MTurk-771.txt"
}
# The summary lines (words/s, rounds, MB per round, time in rounds); progress goes to standard error.
summary() { grep -E "trained|ranks:|accuracy|pairs" || true; }

w2v="-cbow 0 -size 200 -window 5 -negative 5 -sample 1e-4 -min-count 5 -iter 5"
$embed cooccur -i "$corpus" -o $out/cooc.bin --window 10 2>/dev/null | summary
$ranks cooccur -i "$corpus" -o $out/cooc2.bin --window 10 --threads 1 --distributed 2>/dev/null | summary
cmp $out/cooc.bin $out/cooc2.bin && echo "co-occurrence from 2 ranks: identical to one process's"
glove="--size 200 --iter 15 --x-max 10"
for seed in 1 2 3; do
  echo "== seed $seed: word2vec skip-gram, 1 process x 2 threads, then 2 ranks x 1 thread"
  $embed train word2vec -train "$corpus" -output $out/w2v-1-$seed.bin $w2v -threads 2 --seed $seed 2>/dev/null | summary
  $ranks train word2vec -train "$corpus" -output $out/w2v-2-$seed.bin $w2v -threads 1 --seed $seed --distributed 2>/dev/null | summary
  echo "== seed $seed: GloVe, 1 process x 2 threads, then 2 ranks x 1 thread"
  $embed train glove -i $out/cooc.bin -o $out/glove-1-$seed.bin $glove --threads 2 --seed $seed 2>/dev/null | summary
  $ranks train glove -i $out/cooc.bin -o $out/glove-2-$seed.bin $glove --threads 1 --seed $seed --distributed 2>/dev/null | summary
done
for model in w2v glove; do
  for layout in 1 2; do
    for seed in 1 2 3; do echo "-- $model, layout $layout (1: 1 process x 2 threads; 2: 2 ranks x 1 thread), seed $seed"; score $out/$model-$layout-$seed.bin; done
  done
done
echo "== MLP, batch 64 and 512, 3 epochs, no dropout"
for batch in 64 512; do
  $embed train mlp --data "$data/mnist-10k" --epochs 3 --batch $batch --dropout 0 --threads 2 2>/dev/null | summary
  $ranks train mlp --data "$data/mnist-10k" --epochs 3 --batch $batch --dropout 0 --threads 1 --distributed 2>/dev/null | summary
done
