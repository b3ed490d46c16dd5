"""The transforms' own reconstruction limit: what the synthesis makes of the analysis output with no quantization.

No rate point of a model can be better than it. Where a model's top rate points sit just under it, more bits buy
little: the analysis/synthesis pair itself (how far it is trained) limits quality, not the quantizer or the
entropy model.
"""
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional

import numpy as np
import torch

from .api import compress, decompress
from .codec import PAD_MULTIPLE, S2CCodec
from .imageio import pad_to, to_tensor, to_uint8
from .metrics import psnr

RESULTS = Path(__file__).resolve().parent.parent / "results" / "ceiling.json"
MEASUREMENT_KEYS = ("quality", "images", "machine", "threads", "date")


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
    return to_uint8(model.synthesize(model.analyze(x, quality), quality)[..., :h, :w])


def ceiling_point(model: S2CCodec, image: np.ndarray, quality: float) -> CeilingPoint:
    data = compress(model, image, quality).data
    decoded = decompress(data, model).image
    ceiling = psnr(image, unquantized_reconstruction(model, image, quality))
    return CeilingPoint(quality, ceiling, psnr(image, decoded), len(data) * 8 / (image.shape[0] * image.shape[1]))


def read_ceiling(name: str, path: Path = RESULTS) -> Optional[Dict]:
    """Checkpoint ``name``'s (e.g. "s2c-conv-lite") means in scripts/transform_ceiling.py's output, with how they
    were measured (quality, image count, machine, threads, date); None where it was not measured."""
    if not path.exists():
        return None
    measured = json.loads(path.read_text())
    entry = measured.get("models", {}).get(name)
    if entry is None:
        return None
    means = {k: v for k, v in entry.items() if k != "images"}
    return {**{k: measured.get(k) for k in MEASUREMENT_KEYS}, **means}


def measured_on(entry: Dict, card: Dict) -> bool:
    """Whether a ceiling entry was measured on the checkpoint of this model card: by its weights hash, or, for
    entries older than the hash, by its training steps (a weight soup keeps the steps of the round before it)."""
    if "weights_sha256" in entry:
        return entry["weights_sha256"] == card.get("weights_sha256")
    return entry.get("total_steps") == card.get("training", {}).get("total_steps")


def ceiling_text(entry: Dict, card: Dict) -> str:
    """What a measured ceiling says about a checkpoint, for people; says so where it was measured on another one."""
    where = (f"Kodak ({entry['images']} images) at level {entry['quality']:g}, {entry['machine']}, "
             f"{entry['threads']} threads, {entry['date']}")
    if not measured_on(entry, card):
        steps = card.get("training", {}).get("total_steps")
        return (f"The transform ceiling on record was measured on another checkpoint ({entry.get('total_steps')} "
                f"steps, this one has {steps}); `scripts/transform_ceiling.py` measures it again.")
    return (f"Transform ceiling: {entry['ceiling_psnr']:.2f} dB is what synthesis makes of the analysis output with "
            f"nothing rounded; the real file round trip reaches {entry['decoded_psnr']:.2f} dB at "
            f"{entry['bpp']:.3f} bpp, {entry['gap_db']:.2f} dB under it. No rate point can pass it: where the top "
            f"point is this close, training the transforms lifts the high-rate end, not more bits. ({where}.)")
