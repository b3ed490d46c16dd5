"""Classical codecs through Pillow and imagecodecs: encode at a quality, decode, find a matched size."""
import io
from dataclasses import dataclass
from typing import Callable, Dict, Optional, Tuple

import numpy as np
from PIL import Image


@dataclass(frozen=True)
class ClassicalCodec:
    name: str
    label: str
    qualities: Tuple[int, ...]  # sweep for R-D curves, low to high
    q_range: Tuple[int, int]  # for matched-size search: larger = better quality
    encode: Callable[[np.ndarray, int], bytes]
    settings: str

    def decode(self, data: bytes) -> np.ndarray:
        if self.name == "jpegxl":
            import imagecodecs
            return np.asarray(imagecodecs.jpegxl_decode(data))[..., :3]
        return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def _pillow(fmt: str, **kw) -> Callable[[np.ndarray, int], bytes]:
    def encode(image: np.ndarray, q: int) -> bytes:
        buf = io.BytesIO()
        Image.fromarray(image).save(buf, format=fmt, quality=q, **kw)
        return buf.getvalue()
    return encode


def _jpeg2000(image: np.ndarray, q: int) -> bytes:
    """q = target PSNR in dB (OpenJPEG's quality_mode="dB"): larger is better."""
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="JPEG2000", quality_mode="dB", quality_layers=[q], irreversible=True)
    return buf.getvalue()


def _jpegxl(image: np.ndarray, q: int) -> bytes:
    import imagecodecs
    return imagecodecs.jpegxl_encode(np.ascontiguousarray(image), level=q, effort=7)


CODECS: Dict[str, ClassicalCodec] = {c.name: c for c in [
    ClassicalCodec("jpeg", "JPEG", (5, 10, 20, 30, 50, 70, 85, 95), (1, 95), _pillow("JPEG", subsampling=0),
                   "Pillow libjpeg, 4:4:4, quality sweep"),
    ClassicalCodec("webp", "WebP", (2, 10, 25, 45, 65, 80, 90, 97), (0, 100), _pillow("WEBP", method=6),
                   "Pillow libwebp, method 6 (4:2:0, the only lossy mode)"),
    ClassicalCodec("avif", "AVIF", (5, 15, 30, 45, 60, 75, 85, 95), (0, 100), _pillow("AVIF", subsampling="4:4:4"),
                   "Pillow libavif, 4:4:4, default speed"),
    ClassicalCodec("jpeg2000", "JPEG 2000", (24, 27, 30, 33, 36, 39, 42, 45), (15, 60), _jpeg2000,
                   "Pillow OpenJPEG, irreversible 9/7, target-PSNR sweep"),
    ClassicalCodec("jpegxl", "JPEG XL", (10, 30, 50, 65, 75, 85, 92, 97), (1, 100), _jpegxl,
                   "imagecodecs libjxl, effort 7, quality sweep"),
]}


def codec_label(name: str) -> str:
    """A codec's name for people: a classical codec's label, else the name in capitals (references: VTM, BPG)."""
    return CODECS[name].label if name in CODECS else name.upper()


def matched_size(codec: ClassicalCodec, image: np.ndarray, max_bytes: int) -> Optional[Tuple[int, bytes]]:
    """The largest quality whose file is not bigger than ``max_bytes`` (binary search), or None if even the
    lowest quality is bigger."""
    lo, hi = codec.q_range
    best = None
    while lo <= hi:
        mid = (lo + hi) // 2
        data = codec.encode(image, mid)
        if len(data) <= max_bytes:
            best, lo = (mid, data), mid + 1
        else:
            hi = mid - 1
    return best
