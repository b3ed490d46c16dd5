"""App-facing operations (no Streamlit here): run a codec on an image and gather every figure the UI shows."""
import hashlib
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import numpy as np
from PIL import Image

from .api import compress, decompress
from .baselines import CODECS, matched_size
from .metrics import abs_error, ms_ssim, psnr

DEFAULT_MAX_PIXELS = 2_000_000


def image_hash(image: np.ndarray) -> str:
    return hashlib.sha1(image.tobytes() + str(image.shape).encode()).hexdigest()[:16]


def fit_to_budget(image: np.ndarray, max_pixels: int = DEFAULT_MAX_PIXELS, how: str = "downscale") -> np.ndarray:
    """Downscale (Lanczos) or center-crop an image to at most ``max_pixels``; unchanged if already small."""
    h, w = image.shape[:2]
    if h * w <= max_pixels:
        return image
    scale = (max_pixels / (h * w)) ** 0.5
    nh, nw = max(1, int(h * scale)), max(1, int(w * scale))
    if how == "crop":
        top, left = (h - nh) // 2, (w - nw) // 2
        return np.ascontiguousarray(image[top:top + nh, left:left + nw])
    return np.asarray(Image.fromarray(image).resize((nw, nh), Image.LANCZOS))


@dataclass
class CodecRun:
    name: str
    data: bytes
    recon: np.ndarray
    bpp: float
    psnr: float
    ms_ssim: Optional[float]
    enc_ms: float
    dec_ms: float
    timings: Dict[str, float] = field(default_factory=dict)
    quality: str = ""


def run_learned(model, image: np.ndarray, quality: float) -> CodecRun:
    enc = compress(model, image, quality)
    dec = decompress(enc.data, model)
    t = {f"enc_{k}": v for k, v in enc.timings.items()} | {f"dec_{k}": v for k, v in dec.timings.items()}
    return CodecRun(model.name, enc.data, dec.image, len(enc.data) * 8 / image[..., 0].size, psnr(image, dec.image),
                    ms_ssim(image, dec.image), enc.timings["total_ms"], dec.timings["total_ms"], t, f"{quality:g}")


def run_classical(codec, image: np.ndarray, quality: int, data: Optional[bytes] = None) -> CodecRun:
    """A classical codec at one quality (or on bytes it already made), timed and measured like ours."""
    t0 = time.perf_counter()
    data = codec.encode(image, quality) if data is None else data
    t1 = time.perf_counter()
    rec = codec.decode(data)
    dec_ms = (time.perf_counter() - t1) * 1e3
    return CodecRun(codec.label, data, rec, len(data) * 8 / image[..., 0].size, psnr(image, rec),
                    ms_ssim(image, rec), (t1 - t0) * 1e3, dec_ms, quality=str(quality))


def run_classical_matched(image: np.ndarray, max_bytes: int, codecs: Optional[List[str]] = None) -> List[CodecRun]:
    """Each classical codec at the largest quality whose file is not bigger than ``max_bytes``."""
    runs = []
    for name in codecs or list(CODECS):
        codec = CODECS[name]
        t0 = time.perf_counter()
        found = matched_size(codec, image, max_bytes)
        if found is None:
            runs.append(CodecRun(codec.label, b"", np.zeros_like(image), float("nan"), float("nan"), None,
                                 float("nan"), float("nan"), quality="cannot go this small"))
            continue
        search_ms = (time.perf_counter() - t0) * 1e3
        run = run_classical(codec, image, found[0], found[1])
        run.enc_ms, run.timings = search_ms, {"search_ms": search_ms}
        runs.append(run)
    return runs


def error_map(original: np.ndarray, recon: np.ndarray, channel: str = "luma", gain: float = 4.0) -> np.ndarray:
    """Absolute error as an 8-bit heat image (inferno-like ramp), amplified by ``gain``."""
    err = abs_error(original, recon).astype(np.float32)
    if channel == "luma":
        e = err @ np.array([0.299, 0.587, 0.114], np.float32)
    else:
        e = err[..., "RGB".index(channel)]
    t = np.clip(e * gain / 255.0, 0, 1)
    red, green = np.clip(1.5 * t, 0, 1), np.clip(1.5 * t - 0.5, 0, 1)
    blue = np.clip(3 * t - 2, 0, 1) + 0.2 * (1 - t) * (t > 0)
    rgb = np.stack([red, green, blue], -1)
    return (rgb * 255).astype(np.uint8)


def zoom(image: np.ndarray, x: int, y: int, size: int, scale: int = 4) -> np.ndarray:
    """A square crop, enlarged with nearest neighbour so every pixel stays visible."""
    h, w = image.shape[:2]
    size = max(1, min(size, h, w))
    x, y = min(max(0, x), w - size), min(max(0, y), h - size)
    crop = image[y:y + size, x:x + size]
    return np.repeat(np.repeat(crop, scale, 0), scale, 1)
