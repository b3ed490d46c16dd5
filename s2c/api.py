"""Image in, .s2c bytes out, and back: the codec with its container, padding and checks."""
import time
from dataclasses import dataclass, field
from typing import Dict, Optional

import numpy as np
import torch

from . import bitstream
from .bitstream import BitstreamError, Header
from .codec import PAD_MULTIPLE, S2CCodec
from .imageio import MAX_PIXELS, pad_to, to_tensor, to_uint8
from .zoo import load_pretrained, model_id


@dataclass
class Encoded:
    data: bytes
    header: Header
    timings: Dict[str, float] = field(default_factory=dict)  # ms: transform_ms, entropy_ms, total_ms
    y_hat: Optional[torch.Tensor] = None  # the encoder's quantized latent (for analysis)


@dataclass
class Decoded:
    image: np.ndarray  # (H, W, 3) uint8
    header: Header
    timings: Dict[str, float] = field(default_factory=dict)


def hash8(model: S2CCodec) -> bytes:
    return bytes.fromhex(model_id(model))[:8]


def compress(model: S2CCodec, image: np.ndarray, quality: float) -> Encoded:
    """(H, W, 3) uint8 RGB -> .s2c bytes. Any size from 1x1: padded to a multiple of 64, cropped on decode."""
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ValueError("expected an (H, W, 3) uint8 RGB array; use s2c.load_image for files")
    h, w = image.shape[:2]
    if h * w > MAX_PIXELS:
        raise ValueError(f"image too large ({w}x{h}); the limit is {MAX_PIXELS / 1e6:.0f} MP")
    quality = model.gain.check(quality)
    model.update()  # builds the coder's CDF tables once if they are missing
    timings: Dict[str, float] = {}
    t0 = time.perf_counter()
    x, pad = pad_to(to_tensor(image), PAD_MULTIPLE)
    out = model.compress(x, quality, timings)
    strings = [s[0] for s in out["strings"]]
    header = Header(model.cfg.variant, model.cfg.preset, hash8(model), float(np.float32(quality)), h, w, pad,
                    tuple(out["shape"]["y"][0][1:]), tuple(out["shape"]["hyper"]))
    data = bitstream.pack(header, strings)
    timings["total_ms"] = (time.perf_counter() - t0) * 1e3
    return Encoded(data, header, timings, out["y_hat"])


def model_for(header: Header, model: Optional[S2CCodec]) -> S2CCodec:
    if model is None:
        try:
            model = load_pretrained(header.variant, header.preset)
        except KeyError:
            raise BitstreamError(f"this file was made by an unknown model {header.variant!r}") from None
    name = f"{header.variant}-{header.preset}"
    if name != model.name:
        raise BitstreamError(f"this file was made by {name}, not {model.name}")
    if header.weights_hash != hash8(model):
        raise BitstreamError(
            f"this file was made with other {name} weights (checkpoint {header.weights_hash.hex()}, "
            f"loaded {hash8(model).hex()}): decoding it would give garbage, so it is refused")
    return model


def expected_strings(model: S2CCodec) -> int:
    return 2 * len(model.cfg.groups) + 1


def decompress(data: bytes, model: Optional[S2CCodec] = None) -> Decoded:
    """.s2c bytes -> image. Without ``model``, loads our checkpoint named in the file."""
    header, strings = bitstream.unpack(data)
    model = model_for(header, model)
    if len(strings) != expected_strings(model):
        raise BitstreamError("the file is damaged: wrong number of coded strings")
    try:
        quality = model.gain.check(header.quality)
    except ValueError as e:
        raise BitstreamError(f"the header is damaged: {e}") from None
    model.update()
    timings: Dict[str, float] = {}
    t0 = time.perf_counter()
    y_h, y_w = header.y_shape
    shape = {"y": [(g, y_h, y_w) for g in model.cfg.groups], "hyper": header.z_shape}
    x_hat = model.decompress([[s] for s in strings], shape, quality, timings)
    image = to_uint8(x_hat[..., :header.height, :header.width])
    timings["total_ms"] = (time.perf_counter() - t0) * 1e3
    return Decoded(image, header, timings)
