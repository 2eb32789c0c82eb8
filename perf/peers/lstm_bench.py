#!/usr/bin/python3
"""PyTorch's nn.LSTM beside EmbedEngine's LSTM layer (perf/EmbedEngine.Perf: LstmLayerBenchmarks).

The same shapes: one layer, T 128, B 32, input width equal to the hidden size (256, 512, 1024), time-major
inputs; forward alone (under no_grad) and forward + backward (autograd to the inputs and every parameter, the
output gradient drawn once). Times are medians of repeated runs in milliseconds.

PyTorch runs fastest here with OpenBLAS's own pool held to one thread (it otherwise competes with PyTorch's):
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 perf/peers/lstm_bench.py --threads 2
"""
import argparse

import torch

from attention_bench import median_ms, set_up_and_report

STEPS, BATCH = 128, 32


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--hidden", type=int, nargs="+", default=[256, 512, 1024])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    set_up_and_report(args.threads)
    print(f"T {STEPS}, B {BATCH}, inputs = hidden, median of {args.repeats} runs, ms")
    print(f"{'hidden':>7} {'forward':>10} {'fwd+bwd':>10}")
    for hidden in args.hidden:
        lstm = torch.nn.LSTM(hidden, hidden)
        x = (torch.rand(STEPS, BATCH, hidden) * 0.2 - 0.1).requires_grad_(True)
        grad = torch.rand(STEPS, BATCH, hidden) * 0.2 - 0.1

        def forward():
            with torch.no_grad():
                lstm(x)

        def forward_backward():
            output, _ = lstm(x)
            output.backward(grad)

        print(f"{hidden:>7} {median_ms(forward, args.repeats):>10.1f} {median_ms(forward_backward, args.repeats):>10.1f}")


if __name__ == "__main__":
    main()
