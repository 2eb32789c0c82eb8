#!/usr/bin/python3
"""PyTorch peer of EmbedEngine's GPT-like character model (GPT_SPEC recipe 1 on Tiny Shakespeare).

Trains the same architecture, initialisation, optimizer, schedule and batches as the C# model and prints the
loss curve and the training speed in the same units (tokens/s, ms/iter), with the BLAS and threads it ran on.
Run it with Debian's PyTorch: /usr/bin/python3 perf/peers/gpt_train.py (see perf/peers/README.md).
"""

import math

from lm_args import parse_checked, training_parser

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
    p = training_parser(__doc__.splitlines()[0], layers=4, dim=128, context=64, batch=12, lr=1e-3, min_lr=1e-4, seed=1)
    p.add_argument("--heads", type=int, default=4)
    a = parse_checked(p, positive=("layers", "heads", "dim", "context", "batch", "threads"))
    if a.dim % a.heads != 0:
        p.error(f"--dim {a.dim} is not a multiple of --heads {a.heads}")
    return a


args = parse_args()

import torch  # noqa: E402  (after the arguments so that --help and bad flags answer without loading torch)
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from lm_peer import adamw, blas_description, load_characters, report, set_threads, train_and_evaluate, write_json_atomically  # noqa: E402

BLAS = set_threads(args.threads, args.blas_threads or args.threads)


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


def main():
    vocab, train, val = load_characters("gpt_train.py", args.data, args.context)
    torch.manual_seed(args.seed)
    model = Gpt(len(vocab), args.layers, args.heads, args.dim, args.context, args.dropout)
    optimizer = adamw(model, args.lr, ADAM_BETAS, ADAM_EPS, WEIGHT_DECAY)
    curve, tokens_per_second, ms_per_iter = train_and_evaluate(model, optimizer, train, val, args, EVAL_BATCH, CLIP_NORM)
    report(BLAS, tokens_per_second, ms_per_iter)
    if args.json:
        write_json_atomically(args.json, {
            "peer": "pytorch", "model": "gpt", "torch": torch.__version__, "blas": blas_description(BLAS), "threads": args.threads, "layers": args.layers,
            "heads": args.heads, "dim": args.dim, "context": args.context, "batch": args.batch, "iters": args.iters, "seed": args.seed,
            "parameters": sum(p.numel() for p in model.parameters()),
            "tokens_per_second": tokens_per_second, "ms_per_iter": ms_per_iter, "curve": curve})


if __name__ == "__main__":
    main()
