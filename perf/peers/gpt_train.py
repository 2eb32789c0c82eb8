#!/usr/bin/python3
"""PyTorch peer of EmbedEngine's GPT-like character model (GPT_SPEC recipe 1 on Tiny Shakespeare).

Trains the same architecture, initialisation, optimizer, schedule and batches as the C# model and prints the
loss curve and the training speed in the same units (tokens/s, ms/iter), with the BLAS and threads it ran on.
Run it with Debian's PyTorch: /usr/bin/python3 perf/peers/gpt_train.py (see perf/peers/README.md).
"""

import argparse
import ctypes
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO_ROOT / ".." / "shared" / "data" / "tinyshakespeare" / "input.txt"
TRAIN_FRACTION = 0.9
INIT_STD = 0.02
LAYER_NORM_EPS = 1e-5
ADAM_BETAS = (0.9, 0.99)
ADAM_EPS = 1e-8
WEIGHT_DECAY = 0.1
CLIP_NORM = 1.0
# Windows per forward pass during evaluation: big enough to keep the GEMMs efficient, small enough for the
# materialized B x H x T x T attention matrix.
EVAL_BATCH = 128


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="UTF-8 text (default: Tiny Shakespeare)")
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--dim", type=int, default=128)
    p.add_argument("--context", type=int, default=64)
    p.add_argument("--batch", type=int, default=12)
    p.add_argument("--iters", type=int, default=2000)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--min-lr", type=float, default=1e-4)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--eval-at", default="0,500,1000,1500,2000", help="comma-separated iterations")
    p.add_argument("--json", type=Path, help="also write the figures as one JSON line to this file")
    a = p.parse_args()
    for name in ("layers", "heads", "dim", "context", "batch", "threads"):
        if getattr(a, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    if a.iters < 0 or a.warmup < 0:
        p.error("--iters and --warmup must not be negative")
    if a.dim % a.heads != 0:
        p.error(f"--dim {a.dim} is not a multiple of --heads {a.heads}")
    if not 0.0 <= a.dropout < 1.0:
        p.error("--dropout must be in [0, 1)")
    try:
        a.eval_at = sorted({int(s) for s in a.eval_at.split(",") if s.strip()})
    except ValueError:
        p.error(f"--eval-at expects comma-separated integers, got '{a.eval_at}'")
    if any(i < 0 or i > a.iters for i in a.eval_at):
        p.error(f"--eval-at iterations must lie in 0..{a.iters}")
    return a


args = parse_args()

import torch  # noqa: E402  (after the arguments so that --help and bad flags answer without loading torch)
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(args.threads)
torch.set_num_interop_threads(args.threads)


# ---------------------------------------------------------------- BLAS: which library, and its thread count


def mapped_blas_libraries():
    """Real paths of the BLAS libraries mapped into this process (OpenBLAS, reference BLAS, MKL, BLIS)."""
    found = []
    with open("/proc/self/maps", encoding="utf-8") as maps:
        for line in maps:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            name = os.path.basename(path)
            if any(k in name for k in ("blas", "mkl_", "blis")) and path not in found:
                found.append(path)
    return found


def openblas_handle():
    """ctypes handle on the mapped OpenBLAS, or None when torch's BLAS is something else."""
    for path in mapped_blas_libraries():
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return lib
        except (OSError, AttributeError):
            continue
    return None


OPENBLAS = openblas_handle()
if OPENBLAS is not None:
    # torch.set_num_threads reaches MKL and OpenMP but not OpenBLAS's own pthread pool.
    OPENBLAS.openblas_set_num_threads(args.threads)


def blas_description():
    libs = mapped_blas_libraries()
    if OPENBLAS is None:
        return "non-OpenBLAS: " + (", ".join(libs) or "none mapped")
    config = OPENBLAS.openblas_get_config().decode()
    core = OPENBLAS.openblas_get_corename().decode()
    threads = OPENBLAS.openblas_get_num_threads()
    env = " ".join(f"{k}={os.environ[k]}" for k in sorted(os.environ) if k.startswith("OPENBLAS_"))
    return f"{config} core {core} threads {threads} ({', '.join(libs)}){' env ' + env if env else ''}"


# ---------------------------------------------------------------- data


def fail(message):
    """Bad input: a message and exit code 2, like the embed CLI."""
    print(f"gpt_train.py: {message}", file=sys.stderr)
    sys.exit(2)


def load_text(path):
    if not path.is_file():
        fail(f"data file not found: {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        fail(f"{path} is not UTF-8 (byte offset {e.start})")
    if len(text) < 2 * (args.context + 1):
        fail(f"{path} has {len(text)} characters, too few for context {args.context}")
    vocab = sorted(set(text))
    index = {c: i for i, c in enumerate(vocab)}
    tokens = torch.tensor([index[c] for c in text], dtype=torch.long)
    split = int(TRAIN_FRACTION * len(tokens))
    return vocab, tokens[:split], tokens[split:]


MASK64 = (1 << 64) - 1


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


def training_batch(train, random):
    """Batch rows drawn in order, each window at a uniform offset of the training split."""
    span = args.context + 1
    starts = [random.next_int(len(train) - span + 1) for _ in range(args.batch)]
    windows = torch.stack([train[s:s + span] for s in starts])
    return windows[:, :-1], windows[:, 1:]


# ---------------------------------------------------------------- model


class CausalSelfAttention(nn.Module):
    def __init__(self, dim, heads, context, dropout):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.attn_dropout = nn.Dropout(dropout)
        self.resid_dropout = nn.Dropout(dropout)
        causal = torch.tril(torch.ones(context, context, dtype=torch.bool))
        self.register_buffer("causal", causal, persistent=False)

    def forward(self, x):
        b, t, d = x.shape
        head_dim = d // self.heads
        # [B, T, 3D] laid out [q | k | v], head h at features h*head_dim ... in each.
        q, k, v = (z.view(b, t, self.heads, head_dim).transpose(1, 2) for z in self.qkv(x).split(d, dim=2))
        scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(head_dim))
        scores = scores.masked_fill(~self.causal[:t, :t], float("-inf"))
        weights = self.attn_dropout(F.softmax(scores, dim=-1))
        y = (weights @ v).transpose(1, 2).reshape(b, t, d)
        return self.resid_dropout(self.proj(y))


class MultiLayerPerceptron(nn.Module):
    def __init__(self, dim, dropout):
        super().__init__()
        self.fc1 = nn.Linear(dim, 4 * dim)
        self.gelu = nn.GELU(approximate="tanh")
        self.fc2 = nn.Linear(4 * dim, dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        return self.dropout(self.fc2(self.gelu(self.fc1(x))))


class Block(nn.Module):
    def __init__(self, dim, heads, context, dropout):
        super().__init__()
        self.ln_1 = nn.LayerNorm(dim, eps=LAYER_NORM_EPS)
        self.attn = CausalSelfAttention(dim, heads, context, dropout)
        self.ln_2 = nn.LayerNorm(dim, eps=LAYER_NORM_EPS)
        self.mlp = MultiLayerPerceptron(dim, dropout)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class Gpt(nn.Module):
    def __init__(self, vocab_size, layers, heads, dim, context, dropout):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, dim)
        self.wpe = nn.Embedding(context, dim)
        self.dropout = nn.Dropout(dropout)
        self.blocks = nn.ModuleList(Block(dim, heads, context, dropout) for _ in range(layers))
        self.ln_f = nn.LayerNorm(dim, eps=LAYER_NORM_EPS)
        self.initialize(layers)

    def initialize(self, layers):
        residual_std = INIT_STD / math.sqrt(2 * layers)
        for module in self.modules():
            if isinstance(module, (nn.Linear, nn.Embedding)):
                nn.init.normal_(module.weight, mean=0.0, std=INIT_STD)
            if isinstance(module, nn.Linear):
                nn.init.zeros_(module.bias)
            if isinstance(module, nn.LayerNorm):
                nn.init.ones_(module.weight)
                nn.init.zeros_(module.bias)
        for block in self.blocks:
            nn.init.normal_(block.attn.proj.weight, mean=0.0, std=residual_std)
            nn.init.normal_(block.mlp.fc2.weight, mean=0.0, std=residual_std)

    def forward(self, tokens, targets):
        t = tokens.shape[1]
        x = self.dropout(self.wte(tokens) + self.wpe(torch.arange(t)))
        for block in self.blocks:
            x = block(x)
        logits = F.linear(self.ln_f(x), self.wte.weight)  # lm head tied to wte, no bias
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


# ---------------------------------------------------------------- optimizer, schedule, evaluation


def adamw(model, lr):
    decay = [p for p in model.parameters() if p.dim() == 2]
    no_decay = [p for p in model.parameters() if p.dim() != 2]
    groups = [{"params": decay, "weight_decay": WEIGHT_DECAY}, {"params": no_decay, "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=lr, betas=ADAM_BETAS, eps=ADAM_EPS)


def learning_rate(it):
    if it < args.warmup:
        return args.lr * (it + 1) / (args.warmup + 1)
    ratio = min(1.0, (it - args.warmup) / max(1, args.iters - args.warmup))
    return args.min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (args.lr - args.min_lr)


@torch.no_grad()
def split_loss(model, tokens):
    """Mean cross-entropy over every non-overlapping window of context+1 tokens in the split."""
    span = args.context + 1
    windows = tokens[: len(tokens) // span * span].view(-1, span)
    model.eval()
    total = 0.0
    for start in range(0, len(windows), EVAL_BATCH):
        chunk = windows[start:start + EVAL_BATCH]
        total += model(chunk[:, :-1], chunk[:, 1:]).item() * len(chunk)
    model.train()
    return total / len(windows)


def write_json_atomically(path, record):
    path = path.resolve()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")
    os.replace(tmp, path)


def main():
    vocab, train, val = load_text(args.data)
    torch.manual_seed(args.seed)
    model = Gpt(len(vocab), args.layers, args.heads, args.dim, args.context, args.dropout)
    optimizer = adamw(model, args.lr)
    batches = SplitMix64(args.seed)
    curve = []
    train_seconds = 0.0
    for it in range(args.iters + 1):
        if it in args.eval_at:
            point = {"iter": it, "train_loss": split_loss(model, train), "val_loss": split_loss(model, val)}
            curve.append(point)
            print(f"iter {it} train_loss {point['train_loss']:.4f} val_loss {point['val_loss']:.4f}", flush=True)
        if it == args.iters:
            break
        started = time.perf_counter()
        lr = learning_rate(it)
        for group in optimizer.param_groups:
            group["lr"] = lr
        x, y = training_batch(train, batches)
        loss = model(x, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP_NORM)
        optimizer.step()
        train_seconds += time.perf_counter() - started

    tokens_per_second = args.iters * args.batch * args.context / train_seconds if train_seconds > 0 else 0.0
    ms_per_iter = 1000.0 * train_seconds / args.iters if args.iters else 0.0
    blas = blas_description()
    threads = f"intra-op {torch.get_num_threads()} inter-op {torch.get_num_interop_threads()}"
    print(f"tokens/s {tokens_per_second:.0f}")
    print(f"ms/iter {ms_per_iter:.1f}")
    print(f"blas {blas}")
    print(f"torch {torch.__version__}")
    print(f"threads {threads}")
    if args.json:
        write_json_atomically(args.json, {
            "peer": "pytorch", "model": "gpt", "torch": torch.__version__, "blas": blas,
            "threads": args.threads, "layers": args.layers, "heads": args.heads, "dim": args.dim,
            "context": args.context, "batch": args.batch, "iters": args.iters, "seed": args.seed,
            "parameters": sum(p.numel() for p in model.parameters()),
            "tokens_per_second": tokens_per_second, "ms_per_iter": ms_per_iter, "curve": curve})


if __name__ == "__main__":
    main()
