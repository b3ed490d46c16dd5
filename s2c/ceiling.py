"""The transforms' own reconstruction limit: what the synthesis makes of the analysis output with no quantization.

No rate point of a model can be better than it. Where a model's top rate points sit just under it, more bits buy
little: the analysis/synthesis pair itself (how far it is trained) limits quality, not the quantizer or the
entropy model.
"""
from dataclasses import dataclass

import numpy as np
import torch

from .api import compress, decompress
from .codec import PAD_MULTIPLE, S2CCodec
from .imageio import pad_to, to_tensor, to_uint8
from .metrics import psnr


@dataclass
class CeilingPoint:
    quality: float
    ceiling_psnr: float  # g_s(g_a(x)) through the gains, nothing rounded
    decoded_psnr: float  # the real round trip through a .s2c file
    bpp: float  # real file bytes

    @property
    def gap_db(self) -> float:
        return self.ceiling_psnr - self.decoded_psnr


@torch.no_grad()
def unquantized_reconstruction(model: S2CCodec, image: np.ndarray, quality: float) -> np.ndarray:
    """(H, W, 3) uint8: the image through analysis and synthesis, the latent never rounded."""
    h, w = image.shape[:2]
    x, _ = pad_to(to_tensor(image), PAD_MULTIPLE)
    y = model.g_a(x) * model.gain.gain(quality)
    return to_uint8(model.synthesize(y, quality)[..., :h, :w])


def ceiling_point(model: S2CCodec, image: np.ndarray, quality: float) -> CeilingPoint:
    data = compress(model, image, quality).data
    decoded = decompress(data, model).image
    ceiling = psnr(image, unquantized_reconstruction(model, image, quality))
    return CeilingPoint(quality, ceiling, psnr(image, decoded), len(data) * 8 / (image.shape[0] * image.shape[1]))
