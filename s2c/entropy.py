"""The latent codec: hyperprior + ELIC-style uneven channel groups with checkerboard spatial context.

Assembled from compressai's latent codecs (as ``compressai.models.Elic2022Official`` does), at our widths.
"""
import torch
from compressai.entropy_models import EntropyBottleneck, GaussianConditional
from compressai.latent_codecs import (
    ChannelGroupsLatentCodec,
    CheckerboardLatentCodec,
    GaussianConditionalLatentCodec,
    HyperLatentCodec,
    HyperpriorLatentCodec,
)
from compressai.layers import CheckerboardMaskedConv2d
from compressai.models.utils import conv, deconv
from torch import nn

from .config import CodecConfig


class FastGaussianConditional(GaussianConditional):
    """compressai's GaussianConditional with a searchsorted scale quantizer.

    compressai builds the scale indexes with one comparison pass per table entry (64 passes over the latent);
    one binary search gives the identical indexes: the number of table entries (but the last) below the scale.
    """

    def build_indexes(self, scales: torch.Tensor) -> torch.Tensor:
        scales = self.lower_bound_scale(scales)
        table = self.scale_table[:-1].to(scales.dtype).contiguous()
        return torch.searchsorted(table, scales.contiguous(), right=False).int()


def hyper_transforms(M: int, N: int):
    h_a = nn.Sequential(
        conv(M, N, kernel_size=3, stride=1), nn.ReLU(inplace=True),
        conv(N, N, kernel_size=5, stride=2), nn.ReLU(inplace=True),
        conv(N, N, kernel_size=5, stride=2),
    )
    h_s = nn.Sequential(
        deconv(N, N, kernel_size=5, stride=2), nn.ReLU(inplace=True),
        deconv(N, N * 3 // 2, kernel_size=5, stride=2), nn.ReLU(inplace=True),
        deconv(N * 3 // 2, N * 2, kernel_size=3, stride=1),
    )
    return h_a, h_s


def channel_context(prev: int, out: int, hidden: int) -> nn.Module:
    return nn.Sequential(
        conv(prev, hidden, kernel_size=3, stride=1), nn.ReLU(inplace=True),
        conv(hidden, hidden, kernel_size=3, stride=1), nn.ReLU(inplace=True),
        conv(hidden, out, kernel_size=3, stride=1),
    )


def param_aggregation(cin: int, cout: int) -> nn.Module:
    """Pointwise MLP (1x1 convs only, as the checkerboard codec requires)."""
    mid = max(cout, (cin + cout) // 2)
    return nn.Sequential(
        nn.Conv2d(cin, mid, 1), nn.ReLU(inplace=True),
        nn.Conv2d(mid, mid, 1), nn.ReLU(inplace=True),
        nn.Conv2d(mid, cout, 1),
    )


def build_latent_codec(cfg: CodecConfig) -> HyperpriorLatentCodec:
    groups, N = list(cfg.groups), cfg.N
    assert sum(groups) == cfg.M, "channel groups must add up to M"
    ctx_hidden = N
    scctx = {}
    for k, g in enumerate(groups):
        side = N * 2 + (2 * g if k > 0 else 0) + 2 * g  # hyper params + channel ctx + spatial ctx
        scctx[f"y{k}"] = CheckerboardLatentCodec(
            latent_codec={"y": GaussianConditionalLatentCodec(
                gaussian_conditional=FastGaussianConditional(None), quantizer="ste")},
            context_prediction=CheckerboardMaskedConv2d(g, 2 * g, kernel_size=5, stride=1, padding=2),
            entropy_parameters=param_aggregation(side, 2 * g),
        )
    ch_ctx = {f"y{k}": channel_context(sum(groups[:k]), 2 * groups[k], ctx_hidden) for k in range(1, len(groups))}
    h_a, h_s = hyper_transforms(cfg.M, N)
    return HyperpriorLatentCodec(latent_codec={
        "y": ChannelGroupsLatentCodec(groups=groups, channel_context=ch_ctx, latent_codec=scctx),
        "hyper": HyperLatentCodec(entropy_bottleneck=EntropyBottleneck(N), h_a=h_a, h_s=h_s, quantizer="ste"),
    })
