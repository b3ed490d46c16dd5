"""Training data: a folder of images held in memory, with stateless (step-seeded) sampling.

Every random choice of a step (which images, crops, flips, quality level) is drawn from a generator seeded
by (seed, step), so a resumed run sees exactly the batches it would have seen without the interruption.
"""
from pathlib import Path
from typing import List, Tuple

import numpy as np
import torch
from PIL import Image

IMAGE_SUFFIXES = {".png", ".webp", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff"}


def list_images(folder: Path) -> List[Path]:
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"training folder {folder} does not exist")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
    if not files:
        raise FileNotFoundError(f"no images in {folder}")
    if any("kodak" in str(p).lower() or p.name.startswith("kodim") for p in files):
        raise ValueError("refusing to train on Kodak: it is our evaluation set")
    return files


class PatchBank:
    """All training images as one uint8 tensor (N, 3, S, S), center-cropped to the smallest common size."""

    def __init__(self, folder: Path, limit: int = 0):
        files = list_images(folder)[: limit or None]
        arrays = [np.asarray(Image.open(p).convert("RGB")) for p in files]
        s = min(min(a.shape[:2]) for a in arrays)
        self.images = torch.from_numpy(np.stack([self._center(a, s) for a in arrays])).permute(0, 3, 1, 2)
        self.size = s

    @staticmethod
    def _center(a: np.ndarray, s: int) -> np.ndarray:
        top, left = (a.shape[0] - s) // 2, (a.shape[1] - s) // 2
        return a[top:top + s, left:left + s]

    def __len__(self):
        return self.images.shape[0]

    def batch(self, seed: int, step: int, batch_size: int, crop: int, rank: int = 0,
              world: int = 1, levels: int = 6) -> Tuple[torch.Tensor, int]:
        """This rank's share of the global batch of ``step`` (float in [0,1]) and the step's level index."""
        if crop > self.size:
            raise ValueError(f"crop {crop} is larger than the training images ({self.size})")
        n, global_b = len(self), batch_size * world
        first = step * global_b
        epoch = first // n
        order = torch.randperm(n, generator=torch.Generator().manual_seed(seed * 100_003 + epoch))
        idx = [(first + i) for i in range(global_b)][rank * batch_size:(rank + 1) * batch_size]
        # Batches that straddle an epoch boundary take the next epoch's order for their tail.
        picks = [order[i % n] if i // n == epoch else
                 torch.randperm(n, generator=torch.Generator().manual_seed(seed * 100_003 + i // n))[i % n]
                 for i in idx]
        g = torch.Generator().manual_seed(seed * 7_919 + step * 31 + 1)
        level = int(torch.randint(0, levels, (1,), generator=g))
        offs = torch.randint(0, self.size - crop + 1, (global_b, 2), generator=g)[rank * batch_size:]
        flips = torch.rand(global_b, 2, generator=g)[rank * batch_size:]
        out = []
        for j, k in enumerate(picks):
            t, l = int(offs[j, 0]), int(offs[j, 1])
            img = self.images[k, :, t:t + crop, l:l + crop]
            if flips[j, 0] < 0.5:
                img = img.flip(-1)
            if flips[j, 1] < 0.5:
                img = img.flip(-2)
            out.append(img)
        return torch.stack(out).float().div_(255.0), level
