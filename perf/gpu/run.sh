#!/usr/bin/env bash
# One short run on a machine with an NVIDIA GPU (issue 16): build, run every GPU test on the real device, then the
# GPU training figures beside the CPU ones. Usage: perf/gpu/run.sh [corpus.txt] (default: the 2.2M-word comparison
# corpus, made if missing). Prints everything to standard output; nothing is written outside /tmp.
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=${1:-/tmp/corpus.txt}
data=${DATA:-../shared/data}
[ -f "$corpus" ] || ../shared/scripts/make-corpus.sh "$corpus"
dotnet build -c Release EmbedEngine.sln -v q -nologo
embed=tools/EmbedEngine.Cli/bin/Release/net10.0/embed
$embed info

echo "== GPU kernels and tensor ops against their references on the GPU"
EMBED_DEVICE=cuda dotnet test tests/EmbedEngine.Kernels.Tests -c Release --no-build --filter "FullyQualifiedName~Gpu"
EMBED_DEVICE=cuda dotnet test tests/EmbedEngine.Tensors.Tests -c Release --no-build --filter "FullyQualifiedName~Gpu|FullyQualifiedName~GradientTests|FullyQualifiedName~DeviceTests"

echo "== speed suite: SGEMM's variants with its GPU one (cuBLAS through GemmGpu) beside them"
$embed bench speed --kernels Sgemm --seconds 10

score() {
  $embed eval analogy -v "$1" -q "$data/questions-words.txt" --restrict 30000 | tail -1
  $embed eval similarity -v "$1" "$data/word-sim/EN-WS-353-ALL.txt" "$data/word-sim/EN-MEN-TR-3k.txt" "$data/word-sim/EN-MTurk-771.txt"
}
w2v="--cbow 0 --size 200 --window 5 --negative 5 --sample 1e-4 --min-count 5 --iter 5 --seed 1"
echo "== word2vec skip-gram: GPU (words/s on the summary line) against the CPU's shared-negatives path"
$embed train word2vec -i "$corpus" -o /tmp/w2v-gpu.bin $w2v --threads "$(nproc)" --device cuda 2>/dev/null
$embed train word2vec -i "$corpus" -o /tmp/w2v-cpu.bin $w2v --threads "$(nproc)" --shared-negatives 2>/dev/null
for v in /tmp/w2v-gpu.bin /tmp/w2v-cpu.bin; do echo "-- $v"; score "$v"; done

echo "== fastText skip-gram and GloVe: GPU against CPU"
$embed train fasttext skipgram -input "$corpus" -output /tmp/ft-gpu -dim 200 -epoch 5 -thread "$(nproc)" --device cuda 2>/dev/null
$embed train fasttext skipgram -input "$corpus" -output /tmp/ft-cpu -dim 200 -epoch 5 -thread "$(nproc)" 2>/dev/null
$embed cooccur -i "$corpus" -o /tmp/cooc.bin --window 10 2>/dev/null
$embed train glove -i /tmp/cooc.bin -o /tmp/glove-gpu.bin --size 200 --iter 15 --device cuda 2>/dev/null
$embed train glove -i /tmp/cooc.bin -o /tmp/glove-cpu.bin --size 200 --iter 15 2>/dev/null
for v in /tmp/ft-gpu.vec /tmp/ft-cpu.vec /tmp/glove-gpu.bin /tmp/glove-cpu.bin; do echo "-- $v"; score "$v"; done

echo "== MLP on MNIST: GPU against 2 CPU threads (images/s on the summary line)"
$embed train mlp --data "$data/mnist-10k" --epochs 5 --device cuda 2>/dev/null
$embed train mlp --data "$data/mnist-10k" --epochs 5 --threads 2 2>/dev/null

echo "== attention and InfoNCE kernels against naive cuBLAS GEMM + softmax versions (BenchmarkDotNet, ratio column)"
EMBED_DEVICE=cuda dotnet run -c Release --no-build --project perf/EmbedEngine.Perf -- --filter '*AttentionGpuBenchmarks*' '*InfoNceGpuBenchmarks*'

echo "== GPT-like model on Tiny Shakespeare (nanoGPT's CPU recipe): GPU against 2 CPU threads (tokens/s on the summary line)"
$embed train gpt -i "$data/tinyshakespeare/input.txt" --iters 200 --eval-interval 200 --device cuda 2>/dev/null
$embed train gpt -i "$data/tinyshakespeare/input.txt" --iters 200 --eval-interval 200 --threads 2 2>/dev/null

echo "== char-rnn LSTM on Tiny Shakespeare and CLIP-like on captioned MNIST: GPU against 2 CPU threads (tokens/s, images/s on the summary lines)"
$embed train char-lm -i "$data/tinyshakespeare/input.txt" --iters 100 --eval-interval 100 --device cuda 2>/dev/null
$embed train char-lm -i "$data/tinyshakespeare/input.txt" --iters 100 --eval-interval 100 --threads 2 2>/dev/null
$embed train clip --data "$data/mnist-10k" -o /tmp/clip-gpu --epochs 2 --device cuda 2>/dev/null | grep "^trained"
$embed train clip --data "$data/mnist-10k" -o /tmp/clip-cpu --epochs 2 --threads 2 2>/dev/null | grep "^trained"
