"""Quality metrics on RGB [0, 255] and BD-rate (bjontegaard package, PCHIP)."""
import math
import warnings
from typing import Optional, Sequence, Tuple

import numpy as np
import torch
from pytorch_msssim import ms_ssim as _ms_ssim


# A BD-rate averages the rate difference over the PSNR interval both curves cover; we report one only where that
# interval spans at least this share of the narrower curve's PSNR range (a short learned curve against a long
# classical one is still compared over everything the learned curve covers).
MIN_OVERLAP = 0.5


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float("inf") if mse == 0 else 10 * math.log10(255.0 ** 2 / mse)


def ms_ssim(a: np.ndarray, b: np.ndarray) -> Optional[float]:
    """MS-SSIM with 5 scales; None for images under 161 px on a side (too small for 5 scales)."""
    if min(a.shape[:2]) < 161:
        return None
    ta, tb = (torch.from_numpy(np.array(v)).permute(2, 0, 1)[None].float() for v in (a, b))
    return float(_ms_ssim(ta, tb, data_range=255.0))


def abs_error(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.abs(a.astype(np.int16) - b.astype(np.int16)).astype(np.uint8)


def bd_rate(anchor_bpp: Sequence[float], anchor_psnr: Sequence[float], test_bpp: Sequence[float],
            test_psnr: Sequence[float]) -> Optional[float]:
    """Average bitrate difference (%) of test vs anchor at equal PSNR, over the PSNR interval both curves cover
    (``overlap_interval``); negative = test saves bits. None where they overlap too little to compare honestly.
    """
    import bjontegaard as bd

    def clean(r, d):
        pts = sorted((float(x), float(y)) for x, y in zip(r, d) if np.isfinite(x) and np.isfinite(y) and x > 0)
        return [p[0] for p in pts], [p[1] for p in pts]

    ra, da = clean(anchor_bpp, anchor_psnr)
    rt, dt = clean(test_bpp, test_psnr)
    if len(ra) < 4 or len(rt) < 4 or overlap_interval(da, dt) is None:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the package warns on partial overlap; overlap_interval decided already
        try:
            value = float(bd.bd_rate(ra, da, rt, dt, method="pchip", require_matching_points=False, min_overlap=0))
        except (ValueError, AssertionError, ZeroDivisionError):
            return None
    return value if np.isfinite(value) else None


def bd_rate_text(value: Optional[float]) -> str:
    """A BD-rate for people: signed percent, or "n/a" where the curves overlap too little to compare."""
    return "n/a" if value is None else f"{value:+.1f}%"


def overlap_interval(psnr_a: Sequence[float], psnr_b: Sequence[float]) -> Optional[Tuple[float, float]]:
    """The PSNR interval both curves cover, or None if it spans under MIN_OVERLAP of the narrower curve's range."""
    a, b = [float(v) for v in psnr_a if np.isfinite(v)], [float(v) for v in psnr_b if np.isfinite(v)]
    if not a or not b:
        return None
    lo, hi = max(min(a), min(b)), min(max(a), max(b))
    narrower = min(max(a) - min(a), max(b) - min(b))
    if hi <= lo or narrower <= 0 or (hi - lo) < MIN_OVERLAP * narrower:
        return None
    return lo, hi
