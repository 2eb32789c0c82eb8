#!/usr/bin/env bash
# Side by side: `embed bench speed` and BenchmarkDotNet (perf/EmbedEngine.Perf, its short in-process kernel job) on
# the same three kernels and the same shapes (kernels/EmbedEngine.Kernels.Speed/SpeedShapes.cs): Dot, the batched
# SGNS window update and single-thread SGEMM. Prints each variant's speed-up over scalar from both tools and their
# ratio; issue 20 asks that they agree within the noise. Run on a quiet machine, from anywhere:
#   perf/bench/speed-vs-benchmarkdotnet.sh [OUT_DIR]      (default: a fresh temporary folder; about 3 minutes)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(realpath -m "${1:-$(mktemp -d)}")
mkdir -p "$out"
dotnet build -c Release "$root/tools/EmbedEngine.Cli" -v q -nologo >/dev/null
dotnet build -c Release "$root/perf/EmbedEngine.Perf" -v q -nologo >/dev/null

echo "== embed bench speed ==" >&2
dotnet "$root/tools/EmbedEngine.Cli/bin/Release/net10.0/embed.dll" bench speed --kernels Dot,BatchedSgns,Sgemm --seconds 30 \
    -o "$out/speed.json" | tee "$out/speed.txt"

echo "== BenchmarkDotNet ==" >&2
(cd "$out" && dotnet "$root/perf/EmbedEngine.Perf/bin/Release/net10.0/EmbedEngine.Perf.dll" \
    --filter '*.DotBenchmarks.*' '*.BatchedSgnsBenchmarks.Scalar' '*.BatchedSgnsBenchmarks.Avx2' '*.BatchedSgnsBenchmarks.Avx512' \
             '*.SgemmVariantBenchmarks.*' \
    --exporters json --artifacts "$out/bdn" > "$out/bdn.txt")

/usr/bin/env python3 - "$out/speed.json" "$out/bdn/results" <<'PY'
import glob, json, re, sys
speed = json.load(open(sys.argv[1]))["rows"]
# BenchmarkDotNet class -> the speed suite's kernel, and its parameter -> the speed suite's shape.
kernels = {"DotBenchmarks": "Dot", "BatchedSgnsBenchmarks": "BatchedSgns", "SgemmVariantBenchmarks": "Sgemm"}
def shape(kernel, parameters):
    value = re.search(r"=(\w+)", parameters).group(1)
    return {"Dot": f"n={value}", "BatchedSgns": f"8x6, d={value}", "Sgemm": f"{value}x{value}x{value}"}[kernel]
bdn = {}
for path in glob.glob(sys.argv[2] + "/*-report-full*.json") or glob.glob(sys.argv[2] + "/*.json"):
    for b in json.load(open(path))["Benchmarks"]:
        if b["Type"] in kernels and b.get("Statistics"):
            k = kernels[b["Type"]]
            bdn[(k, shape(k, b["Parameters"]), b["Method"].lower())] = b["Statistics"]["Median"]
times = {(r["kernel"], r["shape"], r["variant"]): r["seconds"] for r in speed}
print(f"\n{'kernel':<12}{'shape':<14}{'variant':<10}{'bench speed':>12}{'BDN':>10}{'ratio':>8}")
for (k, s, v), t in times.items():
    if (k, s, v) not in bdn or (k, s, "scalar") not in bdn: continue
    ours, theirs = times[(k, s, "scalar")] / t, bdn[(k, s, "scalar")] / bdn[(k, s, v)]
    print(f"{k:<12}{s:<14}{v:<10}{ours:>11.2f}x{theirs:>9.2f}x{ours / theirs:>8.2f}")
PY
echo "raw results: $out" >&2
