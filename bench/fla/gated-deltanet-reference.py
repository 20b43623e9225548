#!/usr/bin/python3
"""Runs flash-linear-attention's own GatedDeltaNet layer (fla/layers/gated_deltanet.py) in PyTorch on
seeded weights and writes, per configuration, the layer's state_dict (an fla-format checkpoint) and a
golden file of inputs, outputs and states, as the fixtures of Unroll's GatedDeltaNetLayerTest.

The layer's code is loaded at run time from an fla source tree (FLA_SRC, e.g. `git archive` of the
fla repository); nothing of it is copied here. fla imports Triton kernels, which need a GPU; the
script puts pure-PyTorch modules in their place before loading the layer. Exactly these:

  * fla.ops.gated_delta_rule.fused_recurrent_gated_delta_rule (and chunk_gated_delta_rule, which the
    layer calls only for q_len > 64 or training): fla's own naive_recurrent_gated_delta_rule
    (fla/ops/gated_delta_rule/naive.py, loaded from FLA_SRC) after the steps the fused kernel does in
    the kernel for the flags the layer passes: use_qk_l2norm_in_kernel (x / sqrt(sum x^2 + 1e-6),
    the kernel's formula), use_gate_in_kernel (fla's naive_gdn_gate from fla/ops/gated_delta_rule/
    gate.py, loaded from FLA_SRC), use_beta_sigmoid_in_kernel / allow_neg_eigval (sigmoid, times 2),
    GVA (value head hv reads q/k head hv // (HV / H), the kernel's i_h) and state_v_first (the state
    transposed to [N, HV, V, K] in and out).
  * fla.modules.conv.causal_conv1d.causal_conv1d (the sequence form of ShortConvolution) and
    fla.modules.conv.triton.ops.causal_conv1d_update (its one-token form): a torch depthwise causal
    convolution over [cache's last W-1 inputs, x] and the roll-insert-sum update that
    ShortConvolution.step documents for its CUDA path; the cache is [N, D, W], newest input last.
    ShortConvolution itself is fla's class (fla/modules/conv/short_conv.py).
  * fla.modules.FusedRMSNormGated and RMSNorm: modules with fla's parameter (weight, ones) calling
    fla's reference functions rms_norm_ref of fla/modules/layernorm_gated.py (gate z, norm before
    gate: x * rstd * w * silu(z)) and of fla/modules/layernorm.py.
  * fla.layers.utils is fla's file; its imports fla.utils.tensor_cache (an identity decorator here)
    and fla.ops.utils.index (the padding-mask helpers, unused without an attention_mask) are stubs.
  * einops, when not installed: a small rearrange for the patterns fla's code uses.
  * past_key_values: a list of per-layer dicts with fla's FLACache update(...) keywords (fla's class
    needs transformers).

Usage: /usr/bin/python3 bench/fla/gated-deltanet-reference.py FLA_SRC OUT_DIR
Needs Debian's python3-torch (1.13). Writes OUT_DIR/<config>.safetensors (the state_dict, fla's names)
and OUT_DIR/<config>.golden.safetensors for each configuration in CONFIGS.
"""
import ast
import importlib.util
import json
import math
import os
import re
import struct
import sys
import types

import torch
import torch.nn as nn
import torch.nn.functional as F

FLA = sys.argv[1]
OUT = sys.argv[2]
torch.set_num_threads(1)


def fla_file(rel):
    return os.path.join(FLA, rel)


def package(name):
    m = types.ModuleType(name)
    m.__path__ = []
    sys.modules[name] = m
    return m


def load(name, rel):
    spec = importlib.util.spec_from_file_location(name, fla_file(rel))
    m = importlib.util.module_from_spec(spec)
    sys.modules[name] = m
    spec.loader.exec_module(m)
    return m


def function(rel, name, namespace):
    """One top-level function of an fla file, compiled from its source (the file itself imports Triton)."""
    with open(fla_file(rel)) as f:
        src = f.read()
    for node in ast.parse(src).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            exec(compile(ast.Module([node], []), fla_file(rel), "exec"), namespace)
            return namespace[name]
    raise SystemExit(f"{rel} has no function {name}")


# ---------------------------------------------------------------- einops, if missing
def _parse(side):
    groups, cur = [], None
    for tok in re.findall(r"\(|\)|\.\.\.|\w+", side):
        if tok == "(":
            cur = []
        elif tok == ")":
            groups.append(cur)
            cur = None
        elif cur is not None:
            cur.append(tok)
        else:
            groups.append([tok])
    return groups


def rearrange(x, pattern, **sizes):
    lhs, rhs = (s.strip() for s in pattern.split("->"))
    lg, rg = _parse(lhs), _parse(rhs)
    n_ell = x.dim() - (len(lg) - 1) if any(g == ["..."] for g in lg) else 0
    elem, shape, dims = [], [], list(x.shape)
    for g in lg:
        if g == ["..."]:
            for i in range(n_ell):
                elem.append(f"...{i}")
                shape.append(dims.pop(0))
            continue
        size = dims.pop(0)
        known = {a: (1 if a == "1" else sizes.get(a)) for a in g}
        missing = [a for a, v in known.items() if v is None]
        if missing:
            known[missing[0]] = size // math.prod(v for v in known.values() if v is not None)
        for a in g:
            elem.append(a)
            shape.append(known[a])
    x = x.reshape(shape)
    keep = [i for i, a in enumerate(elem) if a != "1"]
    x = x.reshape([shape[i] for i in keep])
    elem = [elem[i] for i in keep]
    order, out_shape = [], []
    for g in rg:
        if g == ["..."]:  # each axis the ellipsis stands for stays an axis
            order += [elem.index(f"...{i}") for i in range(n_ell)]
            out_shape += [x.shape[elem.index(f"...{i}")] for i in range(n_ell)]
            continue
        names = [a for a in g if a != "1"]
        order += [elem.index(a) for a in names]
        out_shape.append(math.prod(x.shape[elem.index(a)] for a in names) if names else 1)
    return x.permute(order).reshape(out_shape)


try:
    import einops  # noqa: F401
except ImportError:
    stub = types.ModuleType("einops")
    stub.rearrange = rearrange

    def repeat(*args, **kwargs):
        raise NotImplementedError("einops.repeat: used by fla only with padding masks")

    stub.repeat = repeat
    sys.modules["einops"] = stub

# ---------------------------------------------------------------- fla's packages with Triton-free parts
for p in ["fla", "fla.layers", "fla.modules", "fla.modules.conv", "fla.modules.conv.triton", "fla.ops", "fla.ops.utils",
          "fla.ops.gated_delta_rule", "fla.models"]:
    package(p)
utils = types.ModuleType("fla.utils")
utils.tensor_cache = lambda fn: fn
sys.modules["fla.utils"] = utils
index = types.ModuleType("fla.ops.utils.index")


def _mask_only(*args, **kwargs):
    raise NotImplementedError("padding masks are not used here")


index.prepare_cu_seqlens_from_mask = _mask_only
index.prepare_lens_from_mask = _mask_only
sys.modules["fla.ops.utils.index"] = index
layer_utils = load("fla.layers.utils", "fla/layers/utils.py")

NS = {"torch": torch, "F": F, "rearrange": rearrange}
naive_gdn_gate = function("fla/ops/gated_delta_rule/gate.py", "naive_gdn_gate", dict(NS))
rms_norm_gated_ref = function("fla/modules/layernorm_gated.py", "rms_norm_ref", dict(NS))
rms_norm_ref = function("fla/modules/layernorm.py", "rms_norm_ref", dict(NS))
naive = load("fla.ops.gated_delta_rule.naive", "fla/ops/gated_delta_rule/naive.py")


def causal_conv1d(x, weight=None, bias=None, residual=None, initial_state=None, output_final_state=False,
                  activation=None, backend=None, cu_seqlens=None, **kwargs):
    """x [B, T, D], weight [D, W], cache [N, D, W] (newest input last)."""
    assert cu_seqlens is None and residual is None
    B, T, D = x.shape
    W = weight.shape[1]
    prev = initial_state[:, :, 1:] if initial_state is not None else x.new_zeros(B, D, W - 1)
    full = torch.cat([prev, x.transpose(1, 2)], dim=2)  # [B, D, W-1+T]
    y = F.conv1d(full, weight.unsqueeze(1), bias, groups=D).transpose(1, 2)
    if activation in ("silu", "swish"):
        y = F.silu(y)
    final = None
    if output_final_state:
        whole = torch.cat([initial_state if initial_state is not None else x.new_zeros(B, D, W), x.transpose(1, 2)], dim=2)
        final = whole[:, :, -W:].contiguous()
    return y, final


def causal_conv1d_update(x, cache, residual=None, weight=None, bias=None, activation=None):
    """One token: x [N, 1, D]; the cache [N, D, W] is updated in place, as fla's kernel does."""
    assert residual is None
    shape = x.shape
    xs = x.reshape(cache.shape[0], cache.shape[1])
    cache.copy_(cache.roll(shifts=-1, dims=-1))
    cache[:, :, -1] = xs
    y = (cache * weight).sum(-1)
    if bias is not None:
        y = y + bias
    if activation in ("silu", "swish"):
        y = F.silu(y)
    return y.view(shape), cache


conv_mod = types.ModuleType("fla.modules.conv.causal_conv1d")
conv_mod.causal_conv1d = causal_conv1d
sys.modules["fla.modules.conv.causal_conv1d"] = conv_mod
triton_ops = types.ModuleType("fla.modules.conv.triton.ops")
triton_ops.causal_conv1d_update = causal_conv1d_update
sys.modules["fla.modules.conv.triton.ops"] = triton_ops
short_conv = load("fla.modules.conv.short_conv", "fla/modules/conv/short_conv.py")


class FusedRMSNormGated(nn.Module):
    def __init__(self, hidden_size, elementwise_affine=True, eps=1e-5, activation="swish", device=None, dtype=None):
        super().__init__()
        assert activation in ("swish", "silu")
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(hidden_size))

    def forward(self, x, g):
        return rms_norm_gated_ref(x, self.weight, None, z=g, eps=self.eps, norm_before_gate=True)


class RMSNorm(nn.Module):
    def __init__(self, hidden_size, elementwise_affine=True, bias=False, eps=1e-5, device=None, dtype=None):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(hidden_size, dtype=dtype))

    def forward(self, x):
        return rms_norm_ref(x, self.weight, None, eps=self.eps)


modules = sys.modules["fla.modules"]
modules.ShortConvolution = short_conv.ShortConvolution
modules.FusedRMSNormGated = FusedRMSNormGated
modules.RMSNorm = RMSNorm
convolution = types.ModuleType("fla.modules.convolution")
convolution.causal_conv1d = causal_conv1d
sys.modules["fla.modules.convolution"] = convolution


def gated_delta_rule(q, k, v, g=None, beta=None, A_log=None, dt_bias=None, scale=None, initial_state=None,
                     output_final_state=False, use_qk_l2norm_in_kernel=False, use_gate_in_kernel=False,
                     use_beta_sigmoid_in_kernel=False, allow_neg_eigval=False, state_v_first=False, cu_seqlens=None, **kw):
    assert cu_seqlens is None
    if use_qk_l2norm_in_kernel:
        q = q / torch.sqrt((q * q).sum(-1, keepdim=True) + 1e-6)
        k = k / torch.sqrt((k * k).sum(-1, keepdim=True) + 1e-6)
    if use_gate_in_kernel:
        g = naive_gdn_gate(g, A_log, dt_bias)
    if use_beta_sigmoid_in_kernel:
        beta = beta.sigmoid() * (2 if allow_neg_eigval else 1)
    group = v.shape[2] // q.shape[2]
    q, k = q.repeat_interleave(group, dim=2), k.repeat_interleave(group, dim=2)
    h0 = initial_state.transpose(-1, -2) if (initial_state is not None and state_v_first) else initial_state
    o, ht = naive.naive_recurrent_gated_delta_rule(q, k, v, beta, g, scale=scale, initial_state=h0,
                                                   output_final_state=output_final_state)
    if ht is not None and state_v_first:
        ht = ht.transpose(-1, -2).contiguous()
    return o, ht


ops = sys.modules["fla.ops.gated_delta_rule"]
ops.fused_recurrent_gated_delta_rule = gated_delta_rule
ops.chunk_gated_delta_rule = gated_delta_rule
layer_module = load("fla.layers.gated_deltanet", "fla/layers/gated_deltanet.py")


class Cache:
    """fla's FLACache as the layer uses it: one state dict per layer, update(...) by keyword."""

    def __init__(self):
        self.layers = []

    def __len__(self):
        return len(self.layers)

    def __getitem__(self, i):
        return self.layers[i]

    def update(self, recurrent_state=None, conv_state=None, layer_idx=0, offset=1, **kw):
        while len(self.layers) <= layer_idx:
            self.layers.append({"recurrent_state": None, "conv_state": None})
        if recurrent_state is not None:
            self.layers[layer_idx]["recurrent_state"] = recurrent_state
        if conv_state is not None:
            self.layers[layer_idx]["conv_state"] = conv_state
        return self.layers[layer_idx]


# ---------------------------------------------------------------- files
def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    blobs, at = [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().to(torch.float32).contiguous()
        b = t.numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [at, at + len(b)]}
        blobs.append(b)
        at += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


CONFIGS = {
    # the layer's defaults but the sizes: gate, short convolutions, no bias
    "gdn-h64": dict(hidden_size=64, num_heads=2, head_dim=16, expand_v=2),
    # grouped value attention: 4 value heads share 2 q/k heads
    "gdn-gva": dict(hidden_size=64, num_heads=2, num_v_heads=4, head_dim=16, expand_v=1),
    # plain RMSNorm output, negative eigenvalues, convolution biases, another kernel size and eps
    "gdn-nogate": dict(hidden_size=32, num_heads=2, head_dim=8, expand_v=2, use_gate=False, allow_neg_eigval=True,
                       conv_bias=True, conv_size=3, norm_eps=1e-6),
    # no short convolutions: SiLU on the projections
    "gdn-noconv": dict(hidden_size=32, num_heads=2, head_dim=8, expand_v=1.5, use_short_conv=False),
}
SEGMENTS = (7, 2, 3)  # a prefill longer than the window, a 2-token chunk (shorter than it), 3 one-token steps


def run(name, kwargs, seed):
    torch.manual_seed(seed)
    layer = layer_module.GatedDeltaNet(mode="fused_recurrent", layer_idx=0, **kwargs).eval()
    with torch.no_grad():  # the norm weights start at ones and the biases at zero: make them count
        layer.o_norm.weight.copy_(1 + 0.2 * torch.randn_like(layer.o_norm.weight))
        if kwargs.get("conv_bias"):
            for c in (layer.q_conv1d, layer.k_conv1d, layer.v_conv1d):
                c.bias.copy_(0.1 * torch.randn_like(c.bias))
    sd = {k: v for k, v in layer.state_dict().items()}
    hidden = kwargs["hidden_size"]
    xs = [torch.randn(1, t, hidden) for t in SEGMENTS]
    golden = {}
    cache = Cache()
    with torch.no_grad():
        whole, _, _ = layer(torch.cat(xs, dim=1))  # no cache: fla's fused q/k/v convolution path, for a cross-check
        ys = []
        for i, x in enumerate(xs):
            if i < 2:
                y, _, _ = layer(x, past_key_values=cache, use_cache=True)
            else:
                y = torch.cat([layer(x[:, t:t + 1], past_key_values=cache, use_cache=True)[0] for t in range(x.shape[1])], dim=1)
            ys.append(y)
            st = cache[0]
            golden[f"expected.recurrent_state{i + 1}"] = st["recurrent_state"][0].clone()
            if layer.use_short_conv:
                for tag, c in zip("qkv", st["conv_state"]):
                    golden[f"expected.conv_state_{tag}{i + 1}"] = c[0].clone()
            golden[f"input.x{i + 1}"] = x[0]
            golden[f"expected.y{i + 1}"] = y[0]
    joined = torch.cat(ys, dim=1)
    drift = (joined - whole).abs().max().item() / whole.abs().max().item()
    assert drift < 1e-5, f"{name}: cached segments differ from the whole sequence by {drift}"
    config = {k: getattr(layer, k) for k in ("hidden_size", "expand_v", "head_dim", "num_heads", "num_v_heads", "use_gate",
                                             "use_short_conv", "allow_neg_eigval", "conv_size", "conv_bias")}
    config["norm_eps"] = layer.o_norm.eps
    commit = os.environ.get("FLA_COMMIT", "unknown")
    source = f"fla {commit} fla/layers/gated_deltanet.py GatedDeltaNet(**{json.dumps(kwargs)}), torch.manual_seed({seed}), " \
             f"run by bench/fla/gated-deltanet-reference.py with torch {torch.__version__}"
    meta = {"unroll.family": "fla-layer", "unroll.descriptor": json.dumps({"layer": "GatedDeltaNet", **config}),
            "unroll.source": source}
    write_safetensors(os.path.join(OUT, f"{name}.safetensors"), sd, {"format": "pt", "fla.config": json.dumps(config)})
    write_safetensors(os.path.join(OUT, f"{name}.golden.safetensors"), golden, meta)
    print(f"{name}: {len(sd)} tensors, segments {SEGMENTS}, whole-vs-cached scaled difference {drift:.2e}")


os.makedirs(OUT, exist_ok=True)
for i, (n, kw) in enumerate(CONFIGS.items()):
    run(n, kw, 1234 + i)
