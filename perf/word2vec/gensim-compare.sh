#!/usr/bin/env bash
# Issue 19's side-by-side: gensim 4.2 (perf/peers/word2vec_gensim.py, LineSentence) and `embed train word2vec`,
# alternating, one seed a run, then both tools' corpus words/s per run and the accuracy table (analogy, WS-353, MEN,
# MTurk-771) with means over the runs. Parameters are the issue's: size 200, window 5, negative 5, sample 1e-4,
# min-count 5, 5 epochs, alpha 0.025 for both tools (gensim 4's default for skip-gram and CBOW).
#
#   perf/word2vec/gensim-compare.sh [--runs 5] [--seeds "1 2 3"] [--threads 2] [--cbow] [--alpha 0.025]
#                                   [--embed-options "--word2vec-c"] [--corpus /tmp/corpus.txt] [--out DIR]
#
# --seeds overrides --runs (one run a seed; default seeds 1..runs). --threads is embed's threads and gensim's workers.
# Needs python3-gensim (apt-get install python3-gensim libopenblas0). Writes models and logs under --out only.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=5 seeds="" threads=2 sg=1 alpha=0.025 embed_options="" corpus=/tmp/corpus.txt out=/tmp/gensim-compare
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --seeds) seeds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --cbow) sg=0; shift ;;
    --alpha) alpha=$2; shift 2 ;;
    --embed-options) embed_options=$2; shift 2 ;;
    --corpus) corpus=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
seeds=${seeds:-$(seq -s ' ' 1 "$runs")}
data=${DATA:-../shared/data}
[ -f "$corpus" ] || ../shared/scripts/make-corpus.sh "$corpus"
dotnet build -c Release tools/EmbedEngine.Cli -v q -nologo >/dev/null
embed=tools/EmbedEngine.Cli/bin/Release/net10.0/embed
mkdir -p "$out"
results=$out/results.tsv
: > "$results"

# One row of results.tsv: tool, seed, corpus words/s, analogy %, WS-353, MEN, MTurk-771.
score() {
  local tool=$1 seed=$2 rate=$3 vectors=$4
  local analogy similarity
  analogy=$($embed eval analogy -v "$vectors" -q "$data/questions-words.txt" --restrict 30000 | sed -n 's/^analogy accuracy \([0-9.]*\)%.*/\1/p')
  similarity=$($embed eval similarity -v "$vectors" "$data/word-sim/EN-WS-353-ALL.txt" "$data/word-sim/EN-MEN-TR-3k.txt" \
    "$data/word-sim/EN-MTurk-771.txt" | awk '{ for (i = 1; i < NF; i++) if ($i == "Spearman") printf "%s\t", $(i + 1) }')
  printf '%s\t%s\t%s\t%s\t%s\n' "$tool" "$seed" "$rate" "$analogy" "${similarity%$'\t'}" >> "$results"
}

# shellcheck source=perf/word2vec/rate-of.sh
. perf/word2vec/rate-of.sh

for seed in $seeds; do
  echo "== seed $seed: gensim ($threads workers), then embed ($threads threads${embed_options:+, $embed_options})" >&2
  /usr/bin/python3 perf/peers/word2vec_gensim.py "$corpus" "$out/gensim-$seed.bin" --sg $sg --workers "$threads" --seed "$seed" \
    --alpha "$alpha" | tee "$out/gensim-$seed.log" >&2
  # shellcheck disable=SC2086 # embed_options is a list of options
  $embed train word2vec -i "$corpus" -o "$out/embed-$seed.bin" --cbow $((1 - sg)) --size 200 --window 5 --negative 5 \
    --sample 1e-4 --min-count 5 --iter 5 --threads "$threads" --alpha "$alpha" --seed "$seed" $embed_options \
    2>/dev/null | tee "$out/embed-$seed.log" >&2
  score gensim "$seed" "$(rate_of < "$out/gensim-$seed.log")" "$out/gensim-$seed.bin"
  score embed "$seed" "$(rate_of < "$out/embed-$seed.log")" "$out/embed-$seed.bin"
done

perf/word2vec/compare-table.awk "$results"
