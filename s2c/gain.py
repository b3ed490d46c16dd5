"""Gain units for variable rate: one learned per-channel gain (and inverse gain) per quality level.

Quality is continuous in [1, levels]; between two levels the gains are interpolated geometrically
(as in "Asymmetric Gained Deep Image Compression"), so the rate moves smoothly.
"""
import math

import torch
import torch.nn as nn


class GainUnits(nn.Module):
    def __init__(self, levels: int, channels: int):
        super().__init__()
        self.levels = levels
        # Start log-spaced so that higher quality means finer quantization from step 0.
        init = torch.logspace(math.log10(0.5), math.log10(2.0), levels)[:, None].repeat(1, channels)
        self.log_gain = nn.Parameter(init.log())
        self.log_inv_gain = nn.Parameter(-init.log())

    def check(self, quality: float) -> float:
        q = float(quality)
        if not (1.0 <= q <= self.levels) or math.isnan(q):
            raise ValueError(f"quality must be between 1 and {self.levels}, got {quality}")
        return q

    def _interp(self, table: torch.Tensor, quality: float) -> torch.Tensor:
        q = self.check(quality) - 1.0
        lo = min(int(math.floor(q)), self.levels - 2)
        t = q - lo
        return ((1 - t) * table[lo] + t * table[lo + 1]).exp()

    def gain(self, quality: float) -> torch.Tensor:
        return self._interp(self.log_gain, quality)[None, :, None, None]

    def inv_gain(self, quality: float) -> torch.Tensor:
        return self._interp(self.log_inv_gain, quality)[None, :, None, None]
