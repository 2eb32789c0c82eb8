#!/usr/bin/python3
"""PyTorch peer of EmbedEngine's character-level LSTM language model (embed train char-lm --arch lstm).

Trains the same model (token vectors uniform in ±1/√D, nn.LSTM with its default initialisation, a linear decoder),
optimizer (Adam with β 0.9/0.99, no weight decay; gradient norm clipped to 1), schedule (warm-up, cosine decay) and
batches (windows drawn by EmbedEngine's FastRandom from --seed) on Tiny Shakespeare split 90/10, and prints the loss
curve and the training speed in the same units as the C# CLI, with the BLAS and threads it ran on.

    /usr/bin/python3 perf/peers/charlm_train.py                                   # 2 x 256, the curve
    /usr/bin/python3 perf/peers/charlm_train.py --dim 512 --iters 20 --eval-at "" # 2 x 512, the speed
"""

import math

from lm_args import parse_checked, training_parser

ADAM_BETAS = (0.9, 0.99)
ADAM_EPS = 1e-8
CLIP_NORM = 1.0
EVAL_BATCH = 128


def parse_args():
    p = training_parser(__doc__.splitlines()[0], layers=2, dim=256, context=128, batch=32, lr=2e-3, min_lr=2e-4, seed=1337)
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--train-loss", action="store_true", help="also evaluate the whole training split at each --eval-at")
    return parse_checked(p)


args = parse_args()

import torch  # noqa: E402  (after the arguments so that --help and bad flags answer without loading torch)
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from lm_peer import adamw, blas_description, load_characters, report, set_threads, train_and_evaluate, write_json_atomically  # noqa: E402

BLAS = set_threads(args.threads, args.blas_threads or args.threads)


class CharLstm(nn.Module):
    """Token vectors, stacked LSTM layers of one width (dropout between them), a linear decoder; batch-major windows in."""

    def __init__(self, vocab_size, dim, layers, dropout):
        super().__init__()
        self.encoder = nn.Embedding(vocab_size, dim)
        bound = 1.0 / math.sqrt(dim)
        nn.init.uniform_(self.encoder.weight, -bound, bound)
        self.drop = nn.Dropout(dropout)
        self.rnn = nn.LSTM(dim, dim, layers, dropout=dropout if layers > 1 else 0.0)
        self.decoder = nn.Linear(dim, vocab_size)

    def forward(self, tokens, targets):
        x = self.drop(self.encoder(tokens.t()))  # time-major [T, B, D]
        hidden, _ = self.rnn(x)
        logits = self.decoder(self.drop(hidden.transpose(0, 1)))
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


def main():
    vocab, train, val = load_characters("charlm_train.py", args.data, args.context)
    torch.manual_seed(args.seed)
    model = CharLstm(len(vocab), args.dim, args.layers, args.dropout)
    optimizer = adamw(model, args.lr, ADAM_BETAS, ADAM_EPS, args.weight_decay)
    curve, tokens_per_second, ms_per_iter = train_and_evaluate(model, optimizer, train, val, args, EVAL_BATCH, CLIP_NORM)
    report(BLAS, tokens_per_second, ms_per_iter)
    if args.json:
        write_json_atomically(args.json, {
            "peer": "pytorch", "model": "char-lstm", "torch": torch.__version__, "blas": blas_description(BLAS),
            "threads": args.threads, "layers": args.layers, "dim": args.dim, "context": args.context, "batch": args.batch,
            "iters": args.iters, "seed": args.seed, "parameters": sum(p.numel() for p in model.parameters()),
            "tokens_per_second": tokens_per_second, "ms_per_iter": ms_per_iter, "curve": curve})


if __name__ == "__main__":
    main()
