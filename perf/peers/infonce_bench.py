#!/usr/bin/python3
"""PyTorch's InfoNCE beside EmbedEngine's fused kernel (perf/EmbedEngine.Perf: InfoNceBenchmarks, --infonce-memory).

The same problem: N unit image rows and N unit text rows of d (each text row a noisy copy of its image row, as
InfoNceOperands draws them), CLIP's loss written as CLIP's training code writes it, logits = s·I·Tᵀ with
s = exp(t).clamp(max=100), then (CE(logits, arange) + CE(logitsᵀ, arange)) / 2, forward + backward through autograd
to I, T and t. Times are medians of repeated runs in milliseconds; the peak resident memory of the process is
printed after each size (it only grows, so read it in order).

Run with Debian's python3-torch (apt-get install python3-torch libopenblas0):
    /usr/bin/python3 perf/peers/infonce_bench.py --threads 2 --sizes 256 4096 --dims 128 512
"""
import argparse
import math
import resource

import torch
import torch.nn.functional as F

from attention_bench import median_ms, set_up_and_report


def unit_pairs(n, d):
    image = torch.rand(n, d) * 2 - 1
    text = image + 0.8 * (torch.rand(n, d) * 2 - 1)
    return F.normalize(image, dim=1), F.normalize(text, dim=1)


def clip_loss(image, text, log_scale):
    logits = log_scale.exp().clamp(max=100) * image @ text.t()
    labels = torch.arange(image.shape[0])
    return (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--sizes", type=int, nargs="+", default=[256, 4096])
    parser.add_argument("--dims", type=int, nargs="+", default=[128, 512])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    set_up_and_report(args.threads)
    print(f"forward + backward, median of {args.repeats} runs")
    print(f"{'N':>6} {'d':>5} {'ms':>10} {'loss':>8} {'peak RSS MiB':>13}")
    for n in args.sizes:
        for d in args.dims:
            image, text = unit_pairs(n, d)
            image.requires_grad_(), text.requires_grad_()
            log_scale = torch.tensor(math.log(1 / 0.07), requires_grad=True)
            losses = []

            def step():
                image.grad = text.grad = log_scale.grad = None
                loss = clip_loss(image, text, log_scale)
                loss.backward()
                losses.append(loss.item())

            ms = median_ms(step, args.repeats)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{n:>6} {d:>5} {ms:>10.1f} {losses[-1]:>8.4f} {peak:>13.0f}", flush=True)


if __name__ == "__main__":
    main()
