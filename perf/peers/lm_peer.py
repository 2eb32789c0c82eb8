"""What the language-model peers (gpt_train.py, charlm_train.py) share: the text and its split, EmbedEngine's
batch generator, the learning-rate schedule, the evaluation over whole splits, OpenBLAS's threads and report.

Import it after parsing arguments: it loads torch.
"""

import ctypes
import json
import math
import os
import sys
import tempfile
import time

import torch

from attention_bench import blas_libraries

TRAIN_FRACTION = 0.9
MASK64 = (1 << 64) - 1


def fail(script, message):
    """Bad input: a message and exit code 2, like the embed CLI."""
    print(f"{script}: {message}", file=sys.stderr)
    sys.exit(2)


def load_characters(script, path, context):
    """The text's sorted distinct characters and its ids, split 90/10 as EmbedEngine's --validation-fraction 0.1."""
    if not path.is_file():
        fail(script, f"data file not found: {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        fail(script, f"{path} is not UTF-8 (byte offset {e.start})")
    if len(text) < 2 * (context + 1):
        fail(script, f"{path} has {len(text)} characters, too few for context {context}")
    vocab = sorted(set(text))
    index = {c: i for i, c in enumerate(vocab)}
    tokens = torch.tensor([index[c] for c in text], dtype=torch.long)
    split = int(TRAIN_FRACTION * len(tokens))
    return vocab, tokens[:split], tokens[split:]


class SplitMix64:
    """EmbedEngine's FastRandom (SplitMix64, multiply-shift NextInt), so the C# trainer can draw the same batches."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next_ulong(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def next_int(self, exclusive_max):
        return ((self.next_ulong() >> 32) * exclusive_max) >> 32


def training_batch(train, random, batch, context):
    """Batch rows drawn in order, each window at a uniform offset of the training split: (inputs, targets) [B, T]."""
    span = context + 1
    starts = [random.next_int(len(train) - span + 1) for _ in range(batch)]
    windows = torch.stack([train[s:s + span] for s in starts])
    return windows[:, :-1], windows[:, 1:]


def learning_rate(it, lr, min_lr, warmup, iters):
    """EmbedEngine's WarmupCosineSchedule: linear warm-up, then cosine decay to min_lr on the last iteration."""
    if it < warmup:
        return lr * (it + 1) / (warmup + 1)
    ratio = min(1.0, (it - warmup) / max(1, iters - warmup))
    return min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (lr - min_lr)


def adamw(model, lr, betas, eps, weight_decay):
    """EmbedEngine's two groups: weight matrices and embeddings decay, biases and norms do not."""
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    groups = [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=lr, betas=betas, eps=eps)


@torch.no_grad()
def split_loss(model, tokens, context, eval_batch):
    """Mean cross-entropy over every non-overlapping window of context+1 tokens in the split; model(x, y) is a mean loss."""
    span = context + 1
    windows = tokens[: len(tokens) // span * span].view(-1, span)
    model.eval()
    total = 0.0
    for start in range(0, len(windows), eval_batch):
        chunk = windows[start:start + eval_batch]
        total += model(chunk[:, :-1], chunk[:, 1:]).item() * len(chunk)
    model.train()
    return total / len(windows)


def train_and_evaluate(model, optimizer, train, val, a, eval_batch, clip_norm):
    """Trains a.iters steps, evaluating the validation split (and the training split unless a.train_loss is False)
    before the update at each of a.eval_at; returns the curve, tokens/s and ms/iter of the training steps alone.
    a has iters, eval_at, lr, min_lr, warmup, seed, batch, context."""
    batches = SplitMix64(a.seed)
    curve = []
    train_seconds = 0.0
    for it in range(a.iters + 1):
        if it in a.eval_at:
            point = {"iter": it}
            if getattr(a, "train_loss", True):
                point["train_loss"] = split_loss(model, train, a.context, eval_batch)
            point["val_loss"] = split_loss(model, val, a.context, eval_batch)
            curve.append(point)
            print(f"iter {it} " + " ".join(f"{k} {v:.4f}" for k, v in point.items() if k != "iter"), flush=True)
        if it == a.iters:
            break
        started = time.perf_counter()
        lr = learning_rate(it, a.lr, a.min_lr, a.warmup, a.iters)
        for group in optimizer.param_groups:
            group["lr"] = lr
        x, y = training_batch(train, batches, a.batch, a.context)
        loss = model(x, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), clip_norm)
        optimizer.step()
        train_seconds += time.perf_counter() - started
    tokens_per_second = a.iters * a.batch * a.context / train_seconds if train_seconds > 0 else 0.0
    ms_per_iter = 1000.0 * train_seconds / a.iters if a.iters else 0.0
    return curve, tokens_per_second, ms_per_iter


def openblas_handle():
    """ctypes handle on the mapped OpenBLAS, or None when torch's BLAS is something else."""
    torch.matmul(torch.ones(8, 8), torch.ones(8, 8))  # loads the BLAS
    for path in blas_libraries():
        if "openblas" in path:
            lib = ctypes.CDLL(path)
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return lib
    return None


def set_threads(threads, blas_threads):
    """PyTorch's threads, and OpenBLAS's own pthread pool, which torch.set_num_threads does not reach."""
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(threads)
    handle = openblas_handle()
    if handle is not None:
        handle.openblas_set_num_threads(blas_threads)
    return handle


def blas_description(handle):
    libs = blas_libraries()
    if handle is None:
        return "non-OpenBLAS: " + (", ".join(libs) or "none mapped")
    config = handle.openblas_get_config().decode()
    core = handle.openblas_get_corename().decode()
    env = " ".join(f"{k}={os.environ[k]}" for k in sorted(os.environ) if k.startswith("OPENBLAS_"))
    return f"{config} core {core} threads {handle.openblas_get_num_threads()} ({', '.join(libs)}){' env ' + env if env else ''}"


def report(handle, tokens_per_second, ms_per_iter):
    print(f"tokens/s {tokens_per_second:.0f}")
    print(f"ms/iter {ms_per_iter:.1f}")
    print(f"blas {blas_description(handle)}")
    print(f"torch {torch.__version__}")
    print(f"threads intra-op {torch.get_num_threads()} inter-op {torch.get_num_interop_threads()}")


def write_json_atomically(path, record):
    path = path.resolve()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")
    os.replace(tmp, path)
