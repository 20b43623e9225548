#!/usr/bin/env python3
"""Reference forward of the official TinyRecursiveModels TRM, and the fixtures of its state_dict loader.

Written from the equations of SamsungSAILMontreal/TinyRecursiveModels at commit
e7b68717f0a6c4cbb4ce6fbef787b14f42083bd9 (models/recursive_reasoning/trm.py, models/layers.py,
models/sparse_embedding.py): the official module itself needs torch >= 2.5 (nn.Buffer,
scaled_dot_product_attention) and is not imported. Runs on torch 1.13 (Debian's python3-torch).

For each fixture configuration it draws seeded weights, saves them as safetensors under the names a
checkpoint of pretrain.py has (torch.compile's "_orig_mod." and the loss head's "model." before the
ACT wrapper's "inner."), and runs a few supervision steps from the initial carry (H_init, L_init),
as the ACT wrapper does in evaluation. It writes, per supervision step, the logits over the
non-prefix positions and the halt and continue Q logits, computed in float64 (the reference the
tests hold to a tolerance) and in bfloat16 as the official forward_dtype runs (for the record of
how far a bfloat16 run is from an f32 one).

    python3 bench/trm/official-reference.py runtime/src/test/resources/data/models/trm-official
"""
import json
import math
import struct
import sys

import torch

COMMIT = "e7b68717f0a6c4cbb4ce6fbef787b14f42083bd9"

# The two fixtures, both the attention + RoPE variant (the official default): one with the dimensions
# of the project's TinyTrms.Attention descriptor, bf16 parameters and puzzle identifier 2 of 3; one with
# f32 parameters and puzzle_emb_len 0, whose prefix is then ceil(puzzle_emb_ndim / hidden_size) = 2
# positions holding a zero-padded 40-value puzzle embedding. The mlp_t branch of block() is the
# official equation too (its residual normalised over the sequence); no fixture uses it: the project
# refuses mlp_t checkpoints (docs/trm.md, "From an official checkpoint").
CONFIGS = {
    "attention": dict(hidden_size=64, seq_len=12, vocab_size=6, L_layers=2, L_cycles=2, H_cycles=2, expansion=4.0,
                      num_heads=4, pos_encodings="rope", rope_theta=10000.0, mlp_t=False, puzzle_emb_len=16,
                      puzzle_emb_ndim=64, num_puzzle_identifiers=3, rms_norm_eps=1e-5, halt_max_steps=4,
                      prefix="_orig_mod.model.inner.", param_dtype="BF16", puzzle_identifier=2, steps=3, seed=11),
    "attention-padded": dict(hidden_size=32, seq_len=9, vocab_size=5, L_layers=1, L_cycles=3, H_cycles=2, expansion=4.0,
                             num_heads=2, pos_encodings="rope", rope_theta=10000.0, mlp_t=False, puzzle_emb_len=0,
                             puzzle_emb_ndim=40, num_puzzle_identifiers=1, rms_norm_eps=1e-5, halt_max_steps=3,
                             prefix="model.inner.", param_dtype="F32", puzzle_identifier=0, steps=3, seed=7),
}


def find_multiple(a, b):
    return -(a // -b) * b


def swiglu_width(expansion, n):
    return find_multiple(round(expansion * n * 2 / 3), 256)


def prefix_len(c):
    return -(c["puzzle_emb_ndim"] // -c["hidden_size"]) if c["puzzle_emb_len"] == 0 else c["puzzle_emb_len"]


def draw(gen, shape, std):
    # truncated at 2 standard deviations, like the official trunc_normal_init_ (exact distribution immaterial here)
    return (torch.randn(shape, generator=gen, dtype=torch.float64).clamp(-2, 2) * std).float()


def weights(c):
    """The inner model's state_dict (names without prefix), in the official module order."""
    g = torch.Generator().manual_seed(c["seed"])
    h, v = c["hidden_size"], c["vocab_size"]
    big_l = c["seq_len"] + prefix_len(c)
    w = {}
    w["embed_tokens.embedding_weight"] = draw(g, (v, h), 1 / math.sqrt(h))
    w["lm_head.weight"] = draw(g, (v, h), 1 / math.sqrt(h))
    # the official init zeroes the Q weight (bias -5) and the puzzle embedding: drawn here so that both are exercised
    w["q_head.weight"] = draw(g, (2, h), 1 / math.sqrt(h))
    w["q_head.bias"] = draw(g, (2,), 0.5)
    w["puzzle_emb.weights"] = draw(g, (c["num_puzzle_identifiers"], c["puzzle_emb_ndim"]), 1.0)
    for i in range(c["L_layers"]):
        p = "L_level.layers.%d." % i
        if c["mlp_t"]:
            mi = swiglu_width(c["expansion"], big_l)
            w[p + "mlp_t.gate_up_proj.weight"] = draw(g, (2 * mi, big_l), 1 / math.sqrt(big_l))
            w[p + "mlp_t.down_proj.weight"] = draw(g, (big_l, mi), 1 / math.sqrt(mi))
        else:
            w[p + "self_attn.qkv_proj.weight"] = draw(g, (3 * h, h), 1 / math.sqrt(h))
            w[p + "self_attn.o_proj.weight"] = draw(g, (h, h), 1 / math.sqrt(h))
        inter = swiglu_width(c["expansion"], h)
        w[p + "mlp.gate_up_proj.weight"] = draw(g, (2 * inter, h), 1 / math.sqrt(h))
        w[p + "mlp.down_proj.weight"] = draw(g, (h, inter), 1 / math.sqrt(inter))
    # persistent buffers created in forward_dtype (bfloat16)
    w["H_init"] = draw(g, (h,), 1.0).bfloat16()
    w["L_init"] = draw(g, (h,), 1.0).bfloat16()
    if c["param_dtype"] == "BF16":
        w = {k: t.bfloat16() for k, t in w.items()}
    return w


# ---- the official equations -------------------------------------------------------------------

def rms_norm(x, eps):
    # layers.rms_norm: no weight, computed in float32 (or wider), back to the input dtype
    wide = x.to(torch.float64 if x.dtype == torch.float64 else torch.float32)
    return (wide * torch.rsqrt(wide.square().mean(-1, keepdim=True) + eps)).to(x.dtype)


def linear(x, w):
    # CastedLinear: the weight cast to the input's dtype
    return x @ w.to(x.dtype).t()


def swiglu(x, gate_up, down):
    gate, up = linear(x, gate_up).chunk(2, dim=-1)
    return linear(torch.nn.functional.silu(gate) * up, down)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def attention(x, qkv_w, o_w, heads, theta):
    b, s, h = x.shape
    d = h // heads
    qkv = linear(x, qkv_w).view(b, s, 3 * heads, d)
    q, k, v = qkv[:, :, :heads], qkv[:, :, heads:2 * heads], qkv[:, :, 2 * heads:]
    # RotaryEmbedding: cos/sin of position * base^(-2i/d) over cat(freqs, freqs), applied in float32 (or wider)
    rope = torch.float64 if x.dtype == torch.float64 else torch.float32
    inv = 1.0 / (theta ** (torch.arange(0, d, 2, dtype=rope) / d))
    freqs = torch.outer(torch.arange(s, dtype=rope), inv)
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos().unsqueeze(-2), emb.sin().unsqueeze(-2)
    q = (q.to(rope) * cos + rotate_half(q.to(rope)) * sin).to(x.dtype)
    k = (k.to(rope) * cos + rotate_half(k.to(rope)) * sin).to(x.dtype)
    # scaled_dot_product_attention, non-causal, scale 1/sqrt(d); softmax in float32 (or wider)
    q, k, v = (t.transpose(1, 2) for t in (q, k, v))
    scores = (q.to(rope) @ k.to(rope).transpose(-1, -2)) / math.sqrt(d)
    out = (scores.softmax(-1) @ v.to(rope)).to(x.dtype)
    return linear(out.transpose(1, 2).reshape(b, s, h), o_w)


def block(c, w, i, x):
    p = "L_level.layers.%d." % i
    eps = c["rms_norm_eps"]
    if c["mlp_t"]:  # post-norm SwiGLU over the sequence axis
        t = x.transpose(1, 2)
        x = rms_norm(t + swiglu(t, w[p + "mlp_t.gate_up_proj.weight"], w[p + "mlp_t.down_proj.weight"]), eps).transpose(1, 2)
    else:
        x = rms_norm(x + attention(x, w[p + "self_attn.qkv_proj.weight"], w[p + "self_attn.o_proj.weight"],
                                   c["num_heads"], c["rope_theta"]), eps)
    return rms_norm(x + swiglu(x, w[p + "mlp.gate_up_proj.weight"], w[p + "mlp.down_proj.weight"]), eps)


def reasoning(c, w, hidden, injection):
    hidden = hidden + injection
    for i in range(c["L_layers"]):
        hidden = block(c, w, i, hidden)
    return hidden


def embed(c, w, tokens, pid, dtype):
    h = c["hidden_size"]
    n = prefix_len(c)
    e = w["embed_tokens.embedding_weight"].to(dtype)[tokens]
    pe = w["puzzle_emb.weights"][pid].to(dtype)
    pe = torch.nn.functional.pad(pe, (0, n * h - pe.shape[-1]))
    e = torch.cat((pe.view(-1, n, h), e), dim=-2)
    return math.sqrt(h) * e


def step(c, w, tokens, pid, z_h, z_l, dtype):
    """One supervision step (the inner forward): H_cycles x (L_cycles latent updates, one answer update)."""
    x = embed(c, w, tokens, pid, dtype)
    for _ in range(c["H_cycles"]):  # the first H_cycles - 1 under no_grad: the same values
        for _ in range(c["L_cycles"]):
            z_l = reasoning(c, w, z_l, z_h + x)
        z_h = reasoning(c, w, z_h, z_l)
    logits = linear(z_h, w["lm_head.weight"])[:, prefix_len(c):]
    q = (linear(z_h[:, 0], w["q_head.weight"]) + w["q_head.bias"].to(dtype)).to(torch.float32 if dtype != torch.float64 else dtype)
    return z_h, z_l, logits, q


def run(c, w, tokens, dtype):
    b = tokens.shape[0]
    big_l = c["seq_len"] + prefix_len(c)
    z_h = w["H_init"].to(dtype).expand(b, big_l, -1)
    z_l = w["L_init"].to(dtype).expand(b, big_l, -1)
    pid = torch.full((b,), c["puzzle_identifier"], dtype=torch.long)
    out = {}
    for s in range(1, c["steps"] + 1):
        z_h, z_l, logits, q = step(c, w, tokens, pid, z_h, z_l, dtype)
        out["step%d.logits" % s] = logits
        out["step%d.q" % s] = q
    return out


# ---- safetensors, written directly (no safetensors package on Debian) ---------------------------

DTYPES = {torch.float32: ("F32", "<f4"), torch.bfloat16: ("BF16", None), torch.float64: ("F64", "<f8"), torch.int32: ("I32", "<i4")}


def raw(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    return t.numpy().astype(DTYPES[t.dtype][1]).tobytes()


def save(path, tensors, metadata):
    header = {"__metadata__": metadata}
    blobs = []
    off = 0
    for name, t in tensors.items():
        b = raw(t)
        header[name] = {"dtype": DTYPES[t.dtype][0], "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    torch.set_num_threads(1)
    for name, c in CONFIGS.items():
        w = weights(c)
        g = torch.Generator().manual_seed(c["seed"] + 1000)
        tokens = torch.randint(0, c["vocab_size"], (2, c["seq_len"]), generator=g)
        ref = run(c, {k: t.double() for k, t in w.items()}, tokens, torch.float64)
        f32 = run(c, {k: t.float() for k, t in w.items()}, tokens, torch.float32)
        bf16 = run(c, w, tokens, torch.bfloat16)
        arch = {k: c[k] for k in ("hidden_size", "seq_len", "vocab_size", "L_layers", "L_cycles", "H_cycles", "expansion",
                                  "num_heads", "pos_encodings", "rope_theta", "mlp_t", "puzzle_emb_len", "puzzle_emb_ndim",
                                  "num_puzzle_identifiers", "rms_norm_eps", "halt_max_steps")}
        meta = {"source": "SamsungSAILMontreal/TinyRecursiveModels@" + COMMIT, "script": "bench/trm/official-reference.py",
                "arch": json.dumps(arch), "puzzle_identifier": str(c["puzzle_identifier"])}
        save("%s/%s.safetensors" % (out, name), {c["prefix"] + k: t for k, t in w.items()}, meta)
        expected = {"tokens": tokens.to(torch.int32)}
        expected.update({k: t.float() for k, t in ref.items()})
        expected.update({"bf16." + k: t.float() for k, t in bf16.items()})
        save("%s/%s-expected.safetensors" % (out, name), expected, meta)
        for k in ref:
            print("%-10s %-14s |ref| %7.3f  f32-f64 %.2e  bf16-f64 %.2e" % (
                name, k, ref[k].abs().max().item(), (f32[k].double() - ref[k]).abs().max().item(),
                (bf16[k].double() - ref[k]).abs().max().item()))


if __name__ == "__main__":
    main()
