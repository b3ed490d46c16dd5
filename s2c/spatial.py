"""Spatial interaction operators ("token mixers").

Each returns only its residual *branch*; the block adds it to x. Identity is no branch at all, so knocking a
stage out (ablation) means skipping the branch, and a branch whose last layer is zero acts as identity.
"""
import functools
import itertools
from typing import Optional, Tuple

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


def window_partition(t: torch.Tensor, ws: int) -> torch.Tensor:
    """(B, H, W, C) with H, W multiples of ws -> (B * nWin, ws*ws, C), windows in row-major order."""
    b, h, w, c = t.shape
    return t.view(b, h // ws, ws, w // ws, ws, c).transpose(2, 3).reshape(-1, ws * ws, c)


def window_merge(t: torch.Tensor, b: int, h: int, w: int, ws: int) -> torch.Tensor:
    """The inverse of window_partition: (B * nWin, ws*ws, C) -> (B, H, W, C)."""
    c = t.shape[-1]
    return t.view(b, h // ws, w // ws, ws, ws, c).transpose(2, 3).reshape(b, h, w, c)


@functools.lru_cache(maxsize=64)
def window_masks(h: int, w: int, ws: int, shift: int) -> Optional[Tuple[torch.Tensor, torch.Tensor]]:
    """The windows of one (h, w) image whose keys need masking, and their additive masks.

    Padding (up to a multiple of ws) and, with a cyclic shift, the seams between regions that are not
    neighbours in the image only touch the last row and column of windows. Returns (window indexes,
    masks (k, ws*ws, ws*ws) with -inf where a key is not allowed), or None when no window needs a mask.
    """
    hp, wp = -(-h // ws) * ws, -(-w // ws) * ws
    if (hp, wp) == (h, w) and shift == 0:
        return None
    region = torch.zeros(1, hp, wp, 1)
    if shift:
        cuts = (slice(0, -ws), slice(-ws, -shift), slice(-shift, None))
        for label, (hs, wsl) in enumerate(itertools.product(cuts, cuts)):
            region[:, hs, wsl] = label
    valid = torch.zeros(1, hp, wp, 1)
    valid[:, :h, :w] = 1
    if shift:
        region = torch.roll(region, (-shift, -shift), (1, 2))
        valid = torch.roll(valid, (-shift, -shift), (1, 2))
    rw = window_partition(region, ws)[..., 0]  # (nWin, ws*ws)
    vw = window_partition(valid, ws)[..., 0] > 0
    allowed = (rw[:, :, None] == rw[:, None, :]) & vw[:, None, :]
    allowed |= torch.eye(ws * ws, dtype=torch.bool)  # padded queries attend at least to themselves
    needs = (~allowed).flatten(1).any(1).nonzero()[:, 0]
    if needs.numel() == 0:
        return None
    masks = torch.zeros(allowed[needs].shape).masked_fill(~allowed[needs], float("-inf"))
    return needs, masks


class WindowAttention(nn.Module):
    """Multi-head self-attention inside non-overlapping windows, with optional cyclic shift (Swin).

    The S2C-Attention operator uses shift=0. Inputs are padded to a multiple of the window and cropped back;
    padded positions are masked out of the keys so that the result does not depend on the padding.
    A learned relative position bias per head is added, as in window-attention codecs.
    Works in NHWC (tokens are channel vectors): all windows run unmasked, and only the few windows on a
    padding edge or shifted seam (``window_masks``) are recomputed with their mask.
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

    def _attend(self, qkv: torch.Tensor, bias: torch.Tensor, b: int, h: int, w: int) -> torch.Tensor:
        out = F.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], attn_mask=bias)
        masked = window_masks(h, w, self.window, self.shift)
        if masked is None:
            return out
        idx, masks = masked
        n_win = qkv.shape[1] // b
        sel = (idx.to(qkv.device)[None, :] + n_win * torch.arange(b, device=qkv.device)[:, None]).flatten()
        mask = masks.to(qkv.device, bias.dtype).repeat(b, 1, 1)[:, None]
        fixed = F.scaled_dot_product_attention(qkv[0, sel], qkv[1, sel], qkv[2, sel], attn_mask=bias + mask)
        return out.index_copy(0, sel, fixed)

    def forward(self, x):
        b, c, h, w = x.shape
        ws, shift = self.window, self.shift
        hp, wp = -(-h // ws) * ws, -(-w // ws) * ws
        t = F.layer_norm(x.permute(0, 2, 3, 1), (c,), self.norm.weight, self.norm.bias, self.norm.eps)
        t = F.pad(t, (0, 0, 0, wp - w, 0, hp - h))
        if shift:
            t = torch.roll(t, (-shift, -shift), (1, 2))
        tokens = window_partition(t, ws)
        n = tokens.shape[1]
        qkv = self.qkv(tokens).view(-1, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        bias = self.rel_bias[:, self.rel_index].unsqueeze(0)  # (1, heads, n, n)
        out = self.proj(self._attend(qkv, bias, b, h, w).transpose(1, 2).reshape(-1, n, c))
        out = window_merge(out, b, hp, wp, ws)
        if shift:
            out = torch.roll(out, (shift, shift), (1, 2))
        return out[:, :h, :w].permute(0, 3, 1, 2)


def make_spatial(kind: str, dim: int, window: int = 8, shift: int = 0):
    if kind == "identity":
        return None
    if kind == "conv":
        return ConvMixer(dim)
    if kind == "attention":
        return WindowAttention(dim, window=window, shift=shift)
    raise ValueError(f"unknown spatial operator {kind!r} (expected identity, conv or attention)")
