#!/usr/bin/env bash
# Issue 19's scaling: what a second thread adds to `embed train word2vec`, and what two cores allow at all. Each
# round runs, one after the other, 1 thread, 2 threads, then two independent 1-thread processes at once (their summed
# rate is what the two cores give with nothing shared), and prints corpus words/s and the ratios. The rounds repeat
# the same seed, so only the machine varies between them. Parameters are the issue's (size 200, window 5, negative 5,
# sample 1e-4, min-count 5, 5 epochs); skip-gram unless --cbow.
#
#   perf/word2vec/thread-scaling.sh [--rounds 5] [--cbow] [--embed-options "--staged-rows 0"] [--corpus /tmp/corpus.txt] [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=5 cbow=0 embed_options="" corpus=/tmp/corpus.txt out=/tmp/thread-scaling
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --cbow) cbow=1; shift ;;
    --embed-options) embed_options=$2; shift 2 ;;
    --corpus) corpus=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
# shellcheck source=perf/word2vec/rate-of.sh
. perf/word2vec/rate-of.sh
[ -f "$corpus" ] || ../shared/scripts/make-corpus.sh "$corpus"
dotnet build -c Release tools/EmbedEngine.Cli -v q -nologo >/dev/null
embed=tools/EmbedEngine.Cli/bin/Release/net10.0/embed
mkdir -p "$out"

# train NAME THREADS: one run, its log in $out/NAME.log.
train() {
  # shellcheck disable=SC2086 # embed_options is a list of options
  $embed train word2vec -i "$corpus" -o "$out/$1.bin" --cbow $cbow --size 200 --window 5 --negative 5 --sample 1e-4 \
    --min-count 5 --iter 5 --seed 1 --threads "$2" $embed_options > "$out/$1.log" 2>&1
}

echo "| round | 1 thread | 2 threads | 2 / 1 | two 1-thread processes | their sum / 1 | 2 threads / the two processes |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for round in $(seq 1 "$rounds"); do
  train one 1
  train two 2
  train process-a 1 & train process-b 1; wait
  one=$(rate_of < "$out/one.log") two=$(rate_of < "$out/two.log")
  processes=$(( $(rate_of < "$out/process-a.log") + $(rate_of < "$out/process-b.log") ))
  awk -v r="$round" -v one="$one" -v two="$two" -v p="$processes" 'BEGIN {
    printf "| %d | %.0fk | %.0fk | %.2fx | %.0fk | %.2fx | %.2f |\n", r, one / 1e3, two / 1e3, two / one, p / 1e3, p / one, two / p }'
done
