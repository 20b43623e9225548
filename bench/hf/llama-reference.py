#!/usr/bin/python3
"""A reference forward of a Hugging Face Llama-family decoder, written from the published modeling
equations (transformers' modeling_llama: RMSNorm, rotate-half RoPE, grouped-query attention, SwiGLU
MLP; Llama 3's rope_scaling; modeling_qwen2's q/k/v biases; modeling_qwen3's q/k head norms and
head_dim), in PyTorch F32, independent of Unroll's code. Reads a model folder (config.json,
model.safetensors or the shards of model.safetensors.index.json, F32, BF16 or F16 tensors under
Hugging Face's names, computed in F32), runs one causal forward over the
given tokens, and prints JSON: the tokens, each position's argmax, and every STRIDE-th logit of each
position (a slice keeps the fixture small; any slice of a wrong forward differs).

Usage: /usr/bin/python3 bench/hf/llama-reference.py MODEL_DIR TOKEN,TOKEN,... [--stride N]
Needs Debian's python3-torch (1.13). Used to make runtime/src/test/resources/data/reference/*.json.
"""
import argparse
import json
import math
import os
import struct
import sys

import torch

A = argparse.ArgumentParser()
A.add_argument("model")
A.add_argument("tokens")
A.add_argument("--stride", type=int, default=61)
ARGS = A.parse_args()
torch.set_num_threads(1)

with open(f"{ARGS.model}/config.json") as f:
    C = json.load(f)


DTYPES = {"F32": torch.float32, "BF16": torch.bfloat16, "F16": torch.float16}


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        a, b = t["data_offsets"]
        raw = torch.frombuffer(bytearray(data[a:b]), dtype=DTYPES[t["dtype"]])
        out[name] = raw.to(torch.float32).reshape(t["shape"])
    return out


def read_weights(folder):
    """model.safetensors, or every shard model.safetensors.index.json maps (each tensor from its shard)."""
    if os.path.exists(f"{folder}/model.safetensors"):
        return read_safetensors(f"{folder}/model.safetensors")
    with open(f"{folder}/model.safetensors.index.json") as f:
        weight_map = json.load(f)["weight_map"]
    out = {}
    for shard in sorted(set(weight_map.values())):
        for name, t in read_safetensors(f"{folder}/{shard}").items():
            assert weight_map[name] == shard, (name, shard)
            out[name] = t
    return out


W = read_weights(ARGS.model)
d = C["hidden_size"]
heads = C["num_attention_heads"]
kv_heads = C.get("num_key_value_heads", heads)
hd = C.get("head_dim") or d // heads
eps = C.get("rms_norm_eps", 1e-6)
theta = C.get("rope_theta", 10000.0)
tokens = [int(t) for t in ARGS.tokens.split(",")]
T = len(tokens)


def rms_norm(x, w):
    return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def linear(x, name):
    """x W^T, plus the bias when the checkpoint has one (Qwen2's q, k and v)."""
    y = x @ W[name + ".weight"].T
    return y + W[name + ".bias"] if name + ".bias" in W else y


def rotate_half(x):
    return torch.cat((-x[..., hd // 2:], x[..., :hd // 2]), dim=-1)


inv_freq = 1.0 / (theta ** (torch.arange(0, hd, 2, dtype=torch.float32) / hd))
scaling = C.get("rope_scaling")
if scaling is not None:
    # Llama 3's frequency scaling (transformers' rope_type "llama3"): long wavelengths divided by the
    # factor, short ones kept, the band between interpolated
    assert scaling.get("rope_type", scaling.get("type")) == "llama3", scaling
    factor = scaling["factor"]
    low, high = scaling["low_freq_factor"], scaling["high_freq_factor"]
    original = scaling["original_max_position_embeddings"]
    wavelen = 2 * math.pi / inv_freq
    scaled = torch.where(wavelen > original / low, inv_freq / factor, inv_freq)
    smooth = (original / wavelen - low) / (high - low)
    smoothed = (1 - smooth) * scaled / factor + smooth * scaled
    medium = ~(wavelen < original / high) & ~(wavelen > original / low)
    inv_freq = torch.where(medium, smoothed, scaled)
freqs = torch.outer(torch.arange(T, dtype=torch.float32), inv_freq)
emb = torch.cat((freqs, freqs), dim=-1)
cos, sin = emb.cos(), emb.sin()

x = W["model.embed_tokens.weight"][tokens]
mask = torch.full((T, T), float("-inf")).triu(1)
for l in range(C["num_hidden_layers"]):
    p = f"model.layers.{l}."
    h = rms_norm(x, W[p + "input_layernorm.weight"])
    q = linear(h, p + "self_attn.q_proj").view(T, heads, hd)
    k = linear(h, p + "self_attn.k_proj").view(T, kv_heads, hd)
    v = linear(h, p + "self_attn.v_proj").view(T, kv_heads, hd).transpose(0, 1)
    if C["model_type"] == "qwen3":
        # Qwen3: an RMSNorm of each query and key head, before RoPE
        q = rms_norm(q, W[p + "self_attn.q_norm.weight"])
        k = rms_norm(k, W[p + "self_attn.k_norm.weight"])
    q = q.transpose(0, 1)
    k = k.transpose(0, 1)
    q = q * cos + rotate_half(q) * sin
    k = k * cos + rotate_half(k) * sin
    k = k.repeat_interleave(heads // kv_heads, dim=0)
    v = v.repeat_interleave(heads // kv_heads, dim=0)
    att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd) + mask, dim=-1)
    o = (att @ v).transpose(0, 1).reshape(T, heads * hd)
    x = x + o @ W[p + "self_attn.o_proj.weight"].T
    h = rms_norm(x, W[p + "post_attention_layernorm.weight"])
    g = h @ W[p + "mlp.gate_proj.weight"].T
    u = h @ W[p + "mlp.up_proj.weight"].T
    x = x + (torch.nn.functional.silu(g) * u) @ W[p + "mlp.down_proj.weight"].T
x = rms_norm(x, W["model.norm.weight"])
head = W["lm_head.weight"] if "lm_head.weight" in W else W["model.embed_tokens.weight"]
logits = x @ head.T
json.dump({
    "reference": "bench/hf/llama-reference.py (PyTorch " + torch.__version__ + ", F32, one thread)",
    "tokens": tokens,
    "stride": ARGS.stride,
    "argmax": logits.argmax(-1).tolist(),
    "logits": [row[::ARGS.stride].tolist() for row in logits],
}, sys.stdout)
