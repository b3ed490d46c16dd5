"""Parameters and kMAC per pixel, counted with torch's own FlopCounterMode (1 MAC = 2 FLOPs)."""
from typing import Dict

import torch
from torch.utils.flop_counter import FlopCounterMode

from .codec import S2CCodec


def count_params(model: torch.nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


@torch.inference_mode()
def kmac_per_pixel(model: S2CCodec, size: int = 256) -> Dict[str, float]:
    """kMAC/pixel of the analysis transform, synthesis transform and the entropy model (forward pass)."""
    x = torch.rand(1, 3, size, size)
    pixels = size * size
    result = {}
    with FlopCounterMode(display=False) as counter:
        y = model.g_a(x)
    result["g_a"] = counter.get_total_flops() / 2 / pixels / 1e3
    with FlopCounterMode(display=False) as counter:
        out = model.latent_codec(y)
    result["entropy"] = counter.get_total_flops() / 2 / pixels / 1e3
    with FlopCounterMode(display=False) as counter:
        model.g_s(out["y_hat"])
    result["g_s"] = counter.get_total_flops() / 2 / pixels / 1e3
    result["total"] = result["g_a"] + result["entropy"] + result["g_s"]
    return result


def complexity_table(models) -> Dict[str, Dict[str, float]]:
    return {m.name: {"params": count_params(m), **kmac_per_pixel(m)} for m in models}
