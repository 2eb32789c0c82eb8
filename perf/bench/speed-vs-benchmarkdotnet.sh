#!/usr/bin/env bash
# Side by side: `embed bench speed` and BenchmarkDotNet (perf/EmbedEngine.Perf, its short in-process kernel job) on
# the same kernels and the same shapes (kernels/EmbedEngine.Kernels.Speed/SpeedShapes.cs): Dot, the batched SGNS
# window update, single-thread SGEMM, the negative-sampling logistic update and GloVe's AdaGrad update. The two tools alternate for ROUNDS rounds, so both see the machine's
# drift alike; for each variant it prints both tools' speed-up over scalar (median and range over the rounds) and
# whether they agree within the noise: the two ranges overlap. Run on a quiet machine, from anywhere:
#   perf/bench/speed-vs-benchmarkdotnet.sh [OUT_DIR] [ROUNDS]   (defaults: a fresh temporary folder, 3; ~2 min a round)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(realpath -m "${1:-$(mktemp -d)}")
rounds=${2:-3}
mkdir -p "$out"
dotnet build -c Release "$root/tools/EmbedEngine.Cli" -v q -nologo >/dev/null
dotnet build -c Release "$root/perf/EmbedEngine.Perf" -v q -nologo >/dev/null

for round in $(seq 1 "$rounds"); do
    mkdir -p "$out/$round"
    echo "== round $round of $rounds: embed bench speed ==" >&2
    dotnet "$root/tools/EmbedEngine.Cli/bin/Release/net10.0/embed.dll" bench speed --kernels Dot,BatchedSgns,Sgemm,LogisticUpdate,GloveUpdate --seconds 40 \
        -o "$out/$round/speed.json" > "$out/$round/speed.txt"
    echo "== round $round of $rounds: BenchmarkDotNet ==" >&2
    (cd "$out/$round" && dotnet "$root/perf/EmbedEngine.Perf/bin/Release/net10.0/EmbedEngine.Perf.dll" \
        --filter '*.DotBenchmarks.*' '*.BatchedSgnsBenchmarks.Scalar' '*.BatchedSgnsBenchmarks.Avx2' '*.BatchedSgnsBenchmarks.Avx512' \
                 '*.SgemmVariantBenchmarks.*' '*.LogisticUpdateBenchmarks.*' '*.GloveUpdateBenchmarks.*' \
        --exporters json --artifacts "$out/$round/bdn" > "$out/$round/bdn.txt")
done

/usr/bin/env python3 - "$out" "$rounds" <<'PY'
import glob, json, re, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
# BenchmarkDotNet class -> the speed suite's kernel, and its parameter -> the speed suite's shape.
kernels = {"DotBenchmarks": "Dot", "BatchedSgnsBenchmarks": "BatchedSgns", "SgemmVariantBenchmarks": "Sgemm",
           "LogisticUpdateBenchmarks": "LogisticUpdate", "GloveUpdateBenchmarks": "GloveUpdate"}
def shape(kernel, parameters):
    value = re.search(r"=(\w+)", parameters).group(1)
    return {"Dot": f"n={value}", "BatchedSgns": f"8x6, d={value}", "Sgemm": f"{value}x{value}x{value}",
            "LogisticUpdate": f"6 targets, d={value}", "GloveUpdate": f"16 entries, d={value}"}[kernel]
def speedups(times):
    """Each non-scalar variant's speed-up over scalar at the same kernel and shape."""
    return {(k, s, v): times[(k, s, "scalar")] / t for (k, s, v), t in times.items() if v != "scalar" and (k, s, "scalar") in times}
ours, theirs = {}, {}
for r in range(1, rounds + 1):
    speed = {(row["kernel"], row["shape"], row["variant"]): row["seconds"] for row in json.load(open(f"{out}/{r}/speed.json"))["rows"]}
    bdn = {}
    for path in glob.glob(f"{out}/{r}/bdn/results/*-report-full*.json"):
        for b in json.load(open(path))["Benchmarks"]:
            if b["Type"] in kernels and b.get("Statistics"):
                k = kernels[b["Type"]]
                bdn[(k, shape(k, b["Parameters"]), b["Method"].lower())] = b["Statistics"]["Median"]
    for key, value in speedups(speed).items(): ours.setdefault(key, []).append(value)
    for key, value in speedups(bdn).items(): theirs.setdefault(key, []).append(value)
def cell(values): return f"{statistics.median(values):6.2f}x [{min(values):5.2f}-{max(values):5.2f}]"
print(f"\n{rounds} alternating rounds; speed-up over scalar: median [range over the rounds]")
print(f"{'kernel':<12}{'shape':<14}{'variant':<8}{'bench speed':>24}{'BenchmarkDotNet':>24}{'ratio':>7}  agree")
agreed = 0
for key in sorted(k for k in ours if k in theirs):
    a, b = ours[key], theirs[key]
    overlap = min(a) <= max(b) and min(b) <= max(a)
    agreed += overlap
    print(f"{key[0]:<12}{key[1]:<14}{key[2]:<8}{cell(a):>24}{cell(b):>24}{statistics.median(a) / statistics.median(b):7.2f}  {'yes' if overlap else 'no'}")
print(f"{agreed} of {sum(1 for k in ours if k in theirs)} variants agree within the noise (their ranges overlap)")
PY
echo "raw results: $out" >&2
