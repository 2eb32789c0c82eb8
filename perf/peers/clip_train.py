#!/usr/bin/python3
"""PyTorch peer of EmbedEngine's CLIP-like model on captioned MNIST digits.

A ViT image encoder (7×7 patches plus a class patch) and a causal text encoder trained with CLIP's symmetric InfoNCE
loss: the same architecture, initialisation, optimizer and schedule as the C# model (defaults: batch 64, 25 epochs).
Initialisation as C#'s modules: linear layers and layer norms keep PyTorch's defaults (a linear layer's weight and
bias uniform in ±1/√fan_in, as C#'s Linear), the token and position embeddings are uniform in ±1/√width (C#'s
Embedding), the logit scale starts at ln(1/0.07). Prints the per-epoch loss and logit scale, the training speed
(images/s), then zero-shot top-1 accuracy and image↔text Recall@1/5/10 on the test split, with the BLAS and threads
it ran on. Zero-shot classes are the mean of their prompts' normalized embeddings: by default every expansion of the
7 C# training templates (DigitCaptioner.TrainingTemplates), 59 prompts a class. --time-steps N times N steps after 3
warm-up steps and stops there.

Run with Debian's python3-torch (apt-get install python3-torch libopenblas0), see perf/peers/README.md:
    /usr/bin/python3 perf/peers/clip_train.py --train-captions train.txt --test-captions test.txt --threads 2
"""
import argparse
import ctypes
import gzip
import math
import re
import struct
import sys
import time
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

from attention_bench import blas_libraries, set_up_and_report

DEFAULT_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mnist-10k"
DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
# C#'s DigitCaptioner.TrainingTemplates and its attribute words, in its order.
DEFAULT_TEMPLATES = [
    "a handwritten {digit}",
    "the digit {digit}",
    "a {thickness} {digit}",
    "a {width} {digit} {slant}",
    "the digit {digit}, drawn with a {thickness} stroke and {slant}",
    "a {width} handwritten {digit} with a {thickness} stroke",
    "a {thickness} {width} {digit}, {slant}",
]
ATTRIBUTES = [("{thickness}", ["thin", "medium", "thick"]), ("{width}", ["narrow", "regular", "wide"]),
              ("{slant}", ["leaning left", "upright", "leaning right"])]
MEAN, STD = 0.1307, 0.3081
UNK, EOT = 0, 1
WARM_UP_STEPS = 3  # untimed steps before --time-steps
EVAL_CHUNK = 512


def fail(message):
    print(f"clip_train.py: {message}", file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------- data


def read_idx(path):
    """An idx file (gzip) as a uint8 tensor of its declared shape."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    shape = struct.unpack(f">{rank}I", data[4:4 + 4 * rank])
    return torch.frombuffer(bytearray(data[4 + 4 * rank:]), dtype=torch.uint8).view(*shape)


def read_captions(path, count):
    if not path.is_file():
        fail(f"caption file not found: {path}")
    lines = path.read_text(encoding="utf-8").splitlines()
    if len(lines) != count:
        fail(f"{path} has {len(lines)} captions for {count} images")
    return lines


def words(caption):
    return re.findall(r"[a-z]+", caption.lower())


def build_vocabulary(captions):
    """0 <unk>, 1 <eot>, then the training words in order of first appearance."""
    vocab = {"<unk>": UNK, "<eot>": EOT}
    for caption in captions:
        for word in words(caption):
            vocab.setdefault(word, len(vocab))
    return vocab


def tokenize(captions, vocab, context):
    """Ids [N, context] padded with <eot>, and each caption's length including its <eot>."""
    ids = torch.full((len(captions), context), EOT, dtype=torch.long)
    lengths = torch.empty(len(captions), dtype=torch.long)
    for row, caption in enumerate(captions):
        tokens = [vocab.get(w, UNK) for w in words(caption)[:context - 1]] + [EOT]
        ids[row, :len(tokens)] = torch.tensor(tokens)
        lengths[row] = len(tokens)
    return ids, lengths


def expand(template, digit):
    """C#'s DigitCaptioner.Prompts: {digit} the class word, each attribute slot present every one of its words."""
    prompts = [template.replace("{digit}", DIGITS[digit])]
    for slot, options in ATTRIBUTES:
        prompts = [q for p in prompts for q in ([p.replace(slot, w) for w in options] if slot in p else [p])]
    return prompts


def shift(images, max_shift, generator):
    """Each image moved by a random integer (dx, dy) in [-max_shift, max_shift], vacated pixels 0 (background)."""
    b, h, w = images.shape
    padded = F.pad(images, (max_shift,) * 4)
    dx, dy = torch.randint(-max_shift, max_shift + 1, (2, b, 1), generator=generator)
    rows = torch.arange(h) + max_shift - dy  # out[y, x] = in[y - dy, x - dx]
    cols = torch.arange(w) + max_shift - dx
    return padded[torch.arange(b)[:, None, None], rows[:, :, None], cols[:, None, :]]


def patches(images, patch):
    """uint8 [B, 28, 28] → normalized [B, 1 + (28/patch)², patch²]: a zero class patch, then row-major patches."""
    b, h, w = images.shape
    x = (images.float() / 255 - MEAN) / STD
    x = x.view(b, h // patch, patch, w // patch, patch).permute(0, 1, 3, 2, 4).reshape(b, -1, patch * patch)
    return torch.cat([x.new_zeros(b, 1, patch * patch), x], dim=1)


# ---------------------------------------------------------------- model


class Attention(nn.Module):
    def __init__(self, dim, heads, causal):
        super().__init__()
        self.heads, self.causal = heads, causal
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = (z.view(b, t, self.heads, d // self.heads).transpose(1, 2) for z in self.qkv(x).split(d, dim=2))
        scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(d // self.heads))
        if self.causal:
            scores = scores.masked_fill(torch.ones(t, t, dtype=torch.bool).triu(1), float("-inf"))
        return self.proj((scores.softmax(dim=-1) @ v).transpose(1, 2).reshape(b, t, d))


class Block(nn.Module):
    def __init__(self, dim, heads, causal):
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(dim, eps=1e-5), nn.LayerNorm(dim, eps=1e-5)
        self.attn = Attention(dim, heads, causal)
        self.fc1, self.fc2 = nn.Linear(dim, 4 * dim), nn.Linear(4 * dim, dim)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.fc2(F.gelu(self.fc1(self.ln_2(x)), approximate="tanh"))


class Encoder(nn.Module):
    """Pre-LN transformer blocks with PyTorch's default initialisation (C#'s Linear and LayerNorm initialise alike)."""

    def __init__(self, dim, layers, heads, causal):
        super().__init__()
        self.blocks = nn.ModuleList(Block(dim, heads, causal) for _ in range(layers))
        self.ln_final = nn.LayerNorm(dim, eps=1e-5)

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return self.ln_final(x)


class Clip(nn.Module):
    def __init__(self, a, vocab_size, tokens_per_image):
        super().__init__()
        self.patch_embed = nn.Linear(a.patch * a.patch, a.image_dim)
        self.image_pos = nn.Parameter(torch.empty(tokens_per_image, a.image_dim))
        self.image = Encoder(a.image_dim, a.image_layers, a.heads, causal=False)  # its ln_final is ln_post
        self.image_proj = nn.Linear(a.image_dim, a.embed_dim, bias=False)
        self.token_embed = nn.Embedding(vocab_size, a.text_dim)
        self.text_pos = nn.Parameter(torch.empty(a.context, a.text_dim))
        self.text = Encoder(a.text_dim, a.text_layers, a.heads, causal=True)
        self.text_proj = nn.Linear(a.text_dim, a.embed_dim, bias=False)
        self.log_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
        # Embeddings as C#'s Embedding, uniform in ±1/√width (nn.Embedding's default is N(0, 1)); the linear layers
        # (patch embedding, projections) keep nn.Linear's default.
        for weight in (self.image_pos, self.token_embed.weight, self.text_pos):
            bound = 1 / math.sqrt(weight.shape[1])
            nn.init.uniform_(weight, -bound, bound)

    def encode_images(self, x):
        x = self.image(self.patch_embed(x) + self.image_pos)
        return F.normalize(self.image_proj(x[:, 0]), dim=-1)

    def encode_text(self, ids, lengths):
        x = self.text(self.token_embed(ids) + self.text_pos[:ids.shape[1]])
        return F.normalize(self.text_proj(x[torch.arange(len(ids)), lengths - 1]), dim=-1)

    def scale(self):
        return torch.clamp(self.log_scale.exp(), max=100)

    def loss(self, images, ids, lengths):
        logits = self.scale() * self.encode_images(images) @ self.encode_text(ids, lengths).t()
        labels = torch.arange(len(logits))
        return (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2


# ---------------------------------------------------------------- training and evaluation


def learning_rate(a, it, total):
    if it < a.warmup:
        return a.lr * (it + 1) / (a.warmup + 1)
    ratio = (it - a.warmup) / max(1, total - a.warmup)
    return a.min_lr + 0.5 * (1 + math.cos(math.pi * ratio)) * (a.lr - a.min_lr)


@torch.no_grad()
def evaluate(model, a, images, labels, text_ids, text_lengths, templates, vocab):
    model.eval()
    chunks = range(0, len(images), EVAL_CHUNK)
    image_emb = torch.cat([model.encode_images(patches(images[i:i + EVAL_CHUNK], a.patch)) for i in chunks])
    text_ids = text_ids[:, :text_lengths.max()]  # one padded length, so equal captions embed equally
    text_emb = torch.cat([model.encode_text(text_ids[i:i + EVAL_CHUNK], text_lengths[i:i + EVAL_CHUNK])
                          for i in chunks])
    # Every template expanded for every class; encode_text L2-normalizes each prompt's embedding, a class is their
    # mean renormalized. Causal encoder pooled at <eot>, so the padding to the longest prompt changes nothing.
    prompts = [[p for t in templates for p in expand(t, digit)] for digit in range(len(DIGITS))]
    prompt_ids, prompt_lengths = tokenize([p for class_prompts in prompts for p in class_prompts], vocab, a.context)
    prompt_emb = model.encode_text(prompt_ids[:, :prompt_lengths.max()], prompt_lengths).split(
        [len(class_prompts) for class_prompts in prompts])
    classes = F.normalize(torch.stack([e.mean(dim=0) for e in prompt_emb]), dim=-1)
    accuracy = ((image_emb @ classes.t()).argmax(dim=1) == labels).float().mean().item()
    print(f"zero-shot top-1 {100 * accuracy:.2f}% ({len(templates)} prompt templates, {len(prompts[0])} prompts a "
          f"class, {len(images)} test images)")
    similarity = image_emb @ text_emb.t()
    for name, sim in (("image->text", similarity), ("text->image", similarity.t())):
        # Ties broken at random, in expectation, as C#'s CrossModalRetrieval does: a partner beaten by h candidates
        # and tied with t others counts the share of ranks h + 1 ... h + t + 1 that fall within K.
        partner = sim.diagonal()[:, None]
        higher = (sim > partner).sum(dim=1).double()
        tied = (sim == partner).sum(dim=1).double() - 1
        within = {k: ((k - higher) / (tied + 1)).clamp(0, 1).mean().item() for k in (1, 5, 10)}
        recalls = "  ".join(f"R@{k} {100 * share:.2f}%" for k, share in within.items())
        print(f"{name} {recalls}")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of the MNIST idx .gz files")
    p.add_argument("--train-captions", type=Path, required=True, help="one caption per training image, in order")
    p.add_argument("--test-captions", type=Path, required=True, help="one caption per test image, in order")
    p.add_argument("--prompts", type=Path,
                   help="zero-shot templates, one a line with {digit}, each expanded over every {thickness}, {width} "
                        "and {slant} word; blank and '#' lines skipped (default: C#'s 7 training templates)")
    for name, default in (("image-dim", 64), ("image-layers", 3), ("text-dim", 64), ("text-layers", 2),
                          ("heads", 4), ("embed-dim", 64), ("patch", 7), ("context", 32), ("shift", 2),
                          ("batch", 64), ("epochs", 25), ("warmup", 100), ("seed", 1), ("threads", 2),
                          ("time-steps", 0)):
        p.add_argument(f"--{name}", type=int, default=default)
    p.add_argument("--blas-threads", type=int, help="OpenBLAS's own thread pool (default: --threads)")
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--unknown-words", type=float, default=0.1, help="probability a training caption word becomes <unk>")
    p.add_argument("--min-lr", type=float, default=0.0)
    a = p.parse_args()
    if a.image_dim % a.heads or a.text_dim % a.heads:
        p.error("--image-dim and --text-dim must be multiples of --heads")
    if 28 % a.patch or a.context < 2 or min(a.shift, a.warmup, a.time_steps) < 0:
        p.error("need 28 % patch == 0, context >= 2, and shift, warmup, time-steps >= 0")
    if min(a.batch, a.epochs, a.threads, a.blas_threads or 1, a.image_layers, a.text_layers, a.heads) < 1:
        p.error("batch, epochs, threads, blas-threads, layers and heads must be at least 1")
    if not 0 <= a.unknown_words < 1:
        p.error("--unknown-words must be in [0, 1)")
    return a


def load(a):
    """Images, labels and tokenized captions of both splits, the training vocabulary and the zero-shot templates."""
    if not (a.data / "train-images-idx3-ubyte.gz").is_file():
        fail(f"no MNIST idx files in {a.data}")
    train_images, test_images = (read_idx(a.data / f"{s}-images-idx3-ubyte.gz") for s in ("train", "t10k"))
    train_captions = read_captions(a.train_captions, len(train_images))
    vocab = build_vocabulary(train_captions)
    templates = DEFAULT_TEMPLATES
    if a.prompts:
        if not a.prompts.is_file():
            fail(f"prompt file not found: {a.prompts}")
        templates = [line.strip() for line in a.prompts.read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.strip().startswith("#")]
        if not templates or any("{digit}" not in t for t in templates):
            fail(f"{a.prompts}: every template needs {{digit}}")
    return (train_images, tokenize(train_captions, vocab, a.context), test_images,
            read_idx(a.data / "t10k-labels-idx1-ubyte.gz").long(),
            tokenize(read_captions(a.test_captions, len(test_images)), vocab, a.context), vocab, templates)


def hide_words(ids, lengths, rate, generator):
    """A copy of the batch with each word (not <eot> or padding) replaced by <unk> with probability rate."""
    if rate == 0:
        return ids
    words_mask = torch.arange(ids.shape[1]).unsqueeze(0) < (lengths - 1).unsqueeze(1)
    hidden = (torch.rand(ids.shape, generator=generator) < rate) & words_mask
    return ids.masked_fill(hidden, UNK)


def batches(a, count, generator):
    """(epoch, indices) for every step: each epoch a permutation of the training images, full batches only."""
    for epoch in range(a.epochs):
        order = torch.randperm(count, generator=generator)
        for step in range(count // a.batch):
            yield epoch, order[step * a.batch:(step + 1) * a.batch]


def main():
    a = parse_args()
    torch.matmul(torch.ones(2, 2), torch.ones(2, 2))  # maps the BLAS into the process
    for path in blas_libraries():
        if "openblas" in path:  # torch.set_num_threads does not reach OpenBLAS's own pthread pool
            ctypes.CDLL(path).openblas_set_num_threads(a.blas_threads or a.threads)
    set_up_and_report(a.threads)
    train_images, (train_ids, train_lengths), test_images, test_labels, test_text, vocab, templates = load(a)
    steps_per_epoch = len(train_images) // a.batch
    total = steps_per_epoch * a.epochs
    if total < 1 or total < WARM_UP_STEPS + a.time_steps:
        fail(f"{total} steps of {a.batch} in {a.epochs} epochs: too few for --batch/--time-steps")

    torch.manual_seed(a.seed)
    model = Clip(a, len(vocab), 1 + (28 // a.patch) ** 2)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                                  lr=a.lr, betas=(0.9, 0.98), eps=1e-6)
    print(f"train {len(train_images)} test {len(test_images)} images, vocabulary {len(vocab)}, "
          f"{sum(p.numel() for p in model.parameters()):,} parameters")
    print(f"{a.epochs} epochs x {steps_per_epoch} steps of {a.batch}; timed per step: batch gather, random shift, "
          f"normalize + patchify, caption padding, forward, backward, AdamW (not file loading or tokenization)")

    generator = torch.Generator().manual_seed(a.seed)
    train_seconds = prep_seconds = 0.0
    losses = []
    for it, (epoch, idx) in enumerate(batches(a, len(train_images), generator)):
        started = time.perf_counter()
        images = patches(shift(train_images[idx], a.shift, generator), a.patch)
        lengths = train_lengths[idx]
        ids = hide_words(train_ids[idx, :lengths.max()], lengths, a.unknown_words, generator)
        prepared = time.perf_counter()
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(a, it, total)
        loss = model.loss(images, ids, lengths)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if not a.time_steps or it >= WARM_UP_STEPS:
            train_seconds += time.perf_counter() - started
            prep_seconds += prepared - started
        if a.time_steps and it + 1 == WARM_UP_STEPS + a.time_steps:
            break
        if (it + 1) % steps_per_epoch == 0:
            print(f"epoch {epoch + 1} loss {sum(losses) / len(losses):.4f} logit_scale {model.scale().item():.2f}",
                  flush=True)
            losses = []

    steps = a.time_steps or total
    what = f"{steps} steps after {WARM_UP_STEPS} warm-up steps" if a.time_steps else f"all {total} steps"
    print(f"training {train_seconds:.1f} s for {what}: {steps * a.batch / train_seconds:.0f} images/s, "
          f"{1000 * train_seconds / steps:.1f} ms/step, of which batch preparation "
          f"{1000 * prep_seconds / steps:.1f} ms")
    print(f"torch {torch.__version__}, intra-op threads {torch.get_num_threads()}")
    if not a.time_steps:
        evaluate(model, a, test_images, test_labels, *test_text, templates, vocab)


if __name__ == "__main__":
    main()
