"""Quality metrics on RGB [0, 255] and BD-rate (bjontegaard package, PCHIP)."""
import math
import warnings
from typing import Optional, Sequence

import numpy as np
import torch
from pytorch_msssim import ms_ssim as _ms_ssim


MIN_OVERLAP = 0.3  # share of the PSNR ranges that must overlap for a BD-rate to mean anything


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
    """Average bitrate difference (%) of test vs anchor at equal PSNR; negative = test saves bits.

    None where the curves overlap too little in quality to compare honestly.
    """
    import bjontegaard as bd

    def clean(r, d):
        pts = sorted((float(x), float(y)) for x, y in zip(r, d) if np.isfinite(x) and np.isfinite(y) and x > 0)
        return [p[0] for p in pts], [p[1] for p in pts]

    ra, da = clean(anchor_bpp, anchor_psnr)
    rt, dt = clean(test_bpp, test_psnr)
    if len(ra) < 4 or len(rt) < 4:
        return None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = float(bd.bd_rate(ra, da, rt, dt, method="pchip", require_matching_points=False,
                                     min_overlap=MIN_OVERLAP))
        except (ValueError, AssertionError, ZeroDivisionError):
            return None
    if any("overlap" in str(w.message) for w in caught) or not np.isfinite(value):
        return None  # the package only warns when the quality ranges barely overlap; we refuse to report it
    return value
