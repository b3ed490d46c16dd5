"""Where the bits go: per-channel and per-position estimated bits, split by channel group, next to real bytes."""
from dataclasses import dataclass
from typing import Dict, List

import numpy as np
import torch

from .api import compress
from .bitstream import unpack
from .codec import PAD_MULTIPLE, S2CCodec
from .imageio import pad_to, to_tensor


@dataclass
class BitAllocation:
    """All bit counts are estimates, -log2(likelihood), on the padded latent grid."""

    y_bits: np.ndarray  # (M, h, w) bits of every y element
    z_bits: np.ndarray  # (N, h/4, w/4)
    groups: List[int]
    y_hat: np.ndarray  # (M, h, w) quantized latent, gained domain
    means: np.ndarray  # (M, h, w) predicted mean of every y element
    scales: np.ndarray  # (M, h, w) predicted scale
    real_bytes: int  # the .s2c file, header included
    header_bytes: int  # container bytes that carry no latent
    pixels: int  # H * W of the original image

    @property
    def bits_per_channel(self) -> np.ndarray:
        return self.y_bits.sum(axis=(1, 2))

    @property
    def group_of_channel(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.groups)), self.groups)

    @property
    def bits_per_group(self) -> np.ndarray:
        return np.array([b.sum() for b in np.split(self.bits_per_channel, np.cumsum(self.groups)[:-1])])

    @property
    def spatial_bits(self) -> np.ndarray:
        return self.y_bits.sum(axis=0)

    @property
    def estimated_bits(self) -> Dict[str, float]:
        return {"y": float(self.y_bits.sum()), "z": float(self.z_bits.sum())}

    @property
    def estimated_bpp(self) -> float:
        return sum(self.estimated_bits.values()) / self.pixels

    @property
    def real_bpp(self) -> float:
        return self.real_bytes * 8 / self.pixels


def _capture_gaussian_params(model: S2CCodec):
    """Hooks each group's GaussianConditionalLatentCodec to record the (scales, means) it is given."""
    records, handles = [], []
    for k in range(len(model.cfg.groups)):
        lc = model.latent_codec.y.latent_codec[f"y{k}"].latent_codec["y"]
        handles.append(lc.register_forward_hook(lambda mod, inp, out, k=k: records.append((k, inp[1]))))
    return records, handles


@torch.inference_mode()
def bit_allocation(model: S2CCodec, image: np.ndarray, quality: float) -> BitAllocation:
    quality = model.gain.check(quality)
    x, _ = pad_to(to_tensor(image), PAD_MULTIPLE)
    records, handles = _capture_gaussian_params(model)
    try:
        out = model(x, quality)
    finally:
        for h in handles:
            h.remove()
    scales, means = zip(*(p.chunk(2, dim=1) for _, p in sorted(records, key=lambda r: r[0])))
    enc = compress(model, image, quality)
    strings_bytes = sum(len(s) for s in unpack(enc.data)[1])
    lik = out["likelihoods"]
    return BitAllocation(
        y_bits=(-lik["y"].log2())[0].numpy(), z_bits=(-lik["z"].log2())[0].numpy(), groups=list(model.cfg.groups),
        y_hat=out["y_hat"][0].numpy(), means=torch.cat(means, 1)[0].numpy(), scales=torch.cat(scales, 1)[0].numpy(),
        real_bytes=len(enc.data), header_bytes=len(enc.data) - strings_bytes, pixels=image.shape[0] * image.shape[1])
