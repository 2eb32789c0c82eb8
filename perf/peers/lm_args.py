"""The command line the language-model peers (gpt_train.py, charlm_train.py) share; no torch, so that --help and
bad flags answer at once."""

import argparse
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO_ROOT / ".." / "shared" / "data" / "tinyshakespeare" / "input.txt"


def training_parser(description, layers, dim, context, batch, lr, min_lr, seed):
    """A parser with the options both peers take, at the given defaults."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="UTF-8 text (default: Tiny Shakespeare)")
    p.add_argument("--layers", type=int, default=layers)
    p.add_argument("--dim", type=int, default=dim)
    p.add_argument("--context", type=int, default=context, help="tokens per window")
    p.add_argument("--batch", type=int, default=batch)
    p.add_argument("--iters", type=int, default=2000)
    p.add_argument("--lr", type=float, default=lr)
    p.add_argument("--min-lr", type=float, default=min_lr)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--seed", type=int, default=seed)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--blas-threads", type=int, help="OpenBLAS's own thread pool (default: --threads)")
    p.add_argument("--eval-at", default="0,500,1000,1500,2000", help="comma-separated iterations")
    p.add_argument("--json", type=Path, help="also write the figures as one JSON line to this file")
    return p


def parse_checked(p, positive=("layers", "dim", "context", "batch", "threads")):
    """Parses and checks the shared options; a.eval_at becomes the sorted iterations."""
    a = p.parse_args()
    for name in positive:
        if getattr(a, name) < 1:
            p.error(f"--{name} must be at least 1")
    if a.iters < 0 or a.warmup < 0:
        p.error("--iters and --warmup must not be negative")
    if not 0.0 <= a.dropout < 1.0:
        p.error("--dropout must be in [0, 1)")
    try:
        a.eval_at = sorted({int(s) for s in a.eval_at.split(",") if s.strip()})
    except ValueError:
        p.error(f"--eval-at expects comma-separated integers, got '{a.eval_at}'")
    if any(i < 0 or i > a.iters for i in a.eval_at):
        p.error(f"--eval-at iterations must lie in 0..{a.iters}")
    return a
