"""The S2CFormer block (spatial interaction -> channel aggregation) and a stage of them."""
import torch
import torch.nn as nn

from .layers import LayerNorm2d, MlpFFN, make_ffn
from .spatial import make_spatial


class S2CBlock(nn.Module):
    """x + Spatial(x), then x + FFN(LN(x)).

    ``spatial`` is None for the identity operator. Knock-out ablations set it to None on a *copy* of the
    model (see ``s2c.ablation``); nothing here changes at run time.
    """

    def __init__(self, dim: int, spatial: str, ffn: str = "mlp", ffn_ratio: float = 4.0, window: int = 8,
                 shift: int = 0):
        super().__init__()
        self.spatial_kind = spatial
        self.spatial = make_spatial(spatial, dim, window=window, shift=shift)
        self.norm = LayerNorm2d(dim)
        self.ffn = make_ffn(ffn, dim, ffn_ratio)

    def forward(self, x):
        if self.spatial is not None:
            x = x + self.spatial(x)
        if not torch.is_grad_enabled() and isinstance(self.ffn, MlpFFN):
            return self.ffn.residual_rows(x, self.norm)
        return x + self.ffn(self.norm(x))


class S2CStage(nn.Sequential):
    """``depth`` blocks at one resolution. Swin-style stages alternate shift 0 and window/2."""

    def __init__(self, dim: int, depth: int, spatial: str, ffn: str, ffn_ratio: float, window: int,
                 shifted: bool = False):
        super().__init__(*[
            S2CBlock(dim, spatial, ffn, ffn_ratio, window, shift=(window // 2 if shifted and i % 2 else 0))
            for i in range(depth)
        ])
