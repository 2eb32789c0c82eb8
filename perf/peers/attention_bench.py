#!/usr/bin/python3
"""PyTorch's attention beside EmbedEngine's fused kernel (perf/EmbedEngine.Perf, AttentionBenchmarks).

The same shapes as AttentionBenchmarks: B 8, H 8, d 64, T 256 and 1024, causal and not. PyTorch 1.13 has no fused
scaled_dot_product_attention, so this is the materialized softmax(Q·Kᵀ/√d + mask)·V that models built on it run,
forward alone (under no_grad) and forward + backward (autograd, dO drawn once). Q, K and V are [B, H, T, d]
contiguous, the layout PyTorch's batched matmul prefers. Times are medians of repeated runs in milliseconds.

Run with Debian's python3-torch (apt-get install python3-torch libopenblas0):
    /usr/bin/python3 perf/peers/attention_bench.py --threads 2
"""
import argparse
import ctypes
import statistics
import time

import torch

BATCH, HEADS, HEAD_DIM = 8, 8, 64


def attention(q, k, v, mask):
    scores = torch.matmul(q, k.transpose(-2, -1)) * (1.0 / HEAD_DIM ** 0.5)
    if mask is not None:
        scores = scores.masked_fill(mask, float("-inf"))
    return torch.matmul(torch.softmax(scores, dim=-1), v)


def median_ms(run, repeats):
    run()  # warm-up: first-touch of the large buffers, lazy initialisation
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def blas_libraries():
    """The BLAS/LAPACK shared objects this process actually loaded (Debian picks one through alternatives)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() or "lapack" in line.lower()}
    return sorted(p for p in paths if p.startswith("/"))


def openblas_threads(libraries):
    """OpenBLAS's own thread count: its pthreads run the GEMMs beside PyTorch's OpenMP threads."""
    for path in libraries:
        if "openblas" in path:
            return ctypes.CDLL(path).openblas_get_num_threads()
    return None


def set_up_and_report(threads):
    """Sets the threads and the seed, loads the BLAS and prints what this run of PyTorch uses."""
    torch.set_num_threads(threads)
    torch.manual_seed(2016)
    torch.matmul(torch.ones(64, 64), torch.ones(64, 64))  # loads the BLAS before it is reported
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads")
    for line in torch.__config__.show().splitlines():
        if any(word in line for word in ("BLAS", "MKL", "CPU capability", "OpenMP")):
            print("  " + line.strip()[:160])
    libraries = blas_libraries()
    print("  loaded BLAS: " + (", ".join(libraries) or "none found in /proc/self/maps"))
    if openblas_threads(libraries) is not None:
        print(f"  OpenBLAS threads: {openblas_threads(libraries)} (OPENBLAS_NUM_THREADS sets them)")
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--lengths", type=int, nargs="+", default=[256, 1024])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    set_up_and_report(args.threads)
    print(f"B {BATCH}, H {HEADS}, d {HEAD_DIM}, median of {args.repeats} runs, ms")
    print(f"{'T':>6} {'causal':>7} {'forward':>10} {'fwd+bwd':>10}")
    for length in args.lengths:
        for causal in (False, True):
            shape = (BATCH, HEADS, length, HEAD_DIM)
            q, k, v, d_out = (torch.rand(shape) * 2 - 1 for _ in range(4))
            mask = torch.ones(length, length, dtype=torch.bool).triu(1) if causal else None
            with torch.no_grad():
                forward = median_ms(lambda: attention(q, k, v, mask), args.repeats)
            q.requires_grad_(), k.requires_grad_(), v.requires_grad_()

            def forward_backward():
                q.grad = k.grad = v.grad = None
                attention(q, k, v, mask).backward(d_out)

            both = median_ms(forward_backward, args.repeats)
            print(f"{length:>6} {str(causal):>7} {forward:>10.1f} {both:>10.1f}", flush=True)


if __name__ == "__main__":
    main()
