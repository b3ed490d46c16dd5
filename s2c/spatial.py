"""Spatial interaction operators ("token mixers").

Each returns only its residual *branch*; the block adds it to x. Identity is no branch at all, so knocking a
stage out (ablation) means skipping the branch, and a branch whose last layer is zero acts as identity.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .layers import LayerNorm2d


class ConvMixer(nn.Module):
    """Separable convolution branch: 1x1 -> LeakyReLU -> depthwise kxk -> 1x1."""

    def __init__(self, dim: int, kernel_size: int = 5):
        super().__init__()
        self.pw1 = nn.Conv2d(dim, dim, 1)
        self.dw = nn.Conv2d(dim, dim, kernel_size, padding=kernel_size // 2, groups=dim)
        self.pw2 = nn.Conv2d(dim, dim, 1)

    def forward(self, x):
        return self.pw2(self.dw(F.leaky_relu(self.pw1(x), 0.01)))

    def zero_last(self):
        nn.init.zeros_(self.pw2.weight)
        nn.init.zeros_(self.pw2.bias)


def window_partition(x: torch.Tensor, ws: int) -> torch.Tensor:
    """(B, C, H, W) with H, W multiples of ws -> (B * nWin, ws*ws, C)."""
    b, c, h, w = x.shape
    x = x.view(b, c, h // ws, ws, w // ws, ws).permute(0, 2, 4, 3, 5, 1)
    return x.reshape(-1, ws * ws, c)


def window_merge(t: torch.Tensor, b: int, h: int, w: int, ws: int) -> torch.Tensor:
    c = t.shape[-1]
    t = t.view(b, h // ws, w // ws, ws, ws, c).permute(0, 5, 1, 3, 2, 4)
    return t.reshape(b, c, h, w)


class WindowAttention(nn.Module):
    """Multi-head self-attention inside non-overlapping windows, with optional cyclic shift (Swin).

    The S2C-Attention operator uses shift=0. Inputs are padded to a multiple of the window and cropped back;
    padded positions are masked out of the keys so that the result does not depend on the padding.
    A learned relative position bias per head is added, as in window-attention codecs.
    """

    def __init__(self, dim: int, window: int = 8, head_dim: int = 32, shift: int = 0):
        super().__init__()
        self.norm = LayerNorm2d(dim)
        self.heads = max(1, dim // head_dim)
        self.window = window
        self.shift = shift
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.rel_bias = nn.Parameter(torch.zeros(self.heads, (2 * window - 1) ** 2))
        coords = torch.stack(torch.meshgrid(torch.arange(window), torch.arange(window), indexing="ij")).flatten(1)
        rel = (coords[:, :, None] - coords[:, None, :]).permute(1, 2, 0) + (window - 1)
        self.register_buffer("rel_index", rel[..., 0] * (2 * window - 1) + rel[..., 1], persistent=False)

    def zero_last(self):
        nn.init.zeros_(self.proj.weight)
        nn.init.zeros_(self.proj.bias)

    def _mask(self, b, h, w, hp, wp, device, dtype):
        """Additive key mask (nWin*B, 1, 1, ws*ws): -inf on padding, and on shifted-window seams."""
        ws = self.window
        need_pad = (hp, wp) != (h, w)
        if not need_pad and self.shift == 0:
            return None
        region = torch.zeros(1, 1, hp, wp, device=device)
        if self.shift:
            cuts = (slice(0, -ws), slice(-ws, -self.shift), slice(-self.shift, None))
            label = 0
            for hs in cuts:
                for wsl in cuts:
                    region[:, :, hs, wsl] = label
                    label += 1
        valid = torch.zeros(1, 1, hp, wp, device=device, dtype=torch.bool)
        valid[:, :, :h, :w] = True
        if self.shift:
            region = torch.roll(region, (-self.shift, -self.shift), (2, 3))
            valid = torch.roll(valid, (-self.shift, -self.shift), (2, 3))
        rw = window_partition(region, ws)[..., 0]  # (nWin, ws*ws)
        vw = window_partition(valid.to(region.dtype), ws)[..., 0] > 0
        allowed = (rw[:, :, None] == rw[:, None, :]) & vw[:, None, :]
        allowed |= torch.eye(ws * ws, dtype=torch.bool, device=device)  # padded queries attend at least to self
        mask = torch.zeros(allowed.shape, device=device, dtype=dtype).masked_fill(~allowed, float("-inf"))
        return mask[:, None].repeat(b, 1, 1, 1)

    def forward(self, x):
        b, c, h, w = x.shape
        ws = self.window
        hp, wp = -(-h // ws) * ws, -(-w // ws) * ws
        t = F.pad(self.norm(x), (0, wp - w, 0, hp - h))
        if self.shift:
            t = torch.roll(t, (-self.shift, -self.shift), (2, 3))
        tokens = window_partition(t, ws)
        n = tokens.shape[1]
        qkv = self.qkv(tokens).view(-1, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        bias = self.rel_bias[:, self.rel_index].unsqueeze(0)  # (1, heads, n, n)
        mask = self._mask(b, h, w, hp, wp, x.device, x.dtype)
        if mask is not None:
            bias = bias + mask
        out = F.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], attn_mask=bias)
        out = self.proj(out.transpose(1, 2).reshape(-1, n, c))
        out = window_merge(out, b, hp, wp, ws)
        if self.shift:
            out = torch.roll(out, (self.shift, self.shift), (2, 3))
        return out[:, :, :h, :w]


def make_spatial(kind: str, dim: int, window: int = 8, shift: int = 0):
    if kind == "identity":
        return None
    if kind == "conv":
        return ConvMixer(dim)
    if kind == "attention":
        return WindowAttention(dim, window=window, shift=shift)
    raise ValueError(f"unknown spatial operator {kind!r} (expected identity, conv or attention)")
