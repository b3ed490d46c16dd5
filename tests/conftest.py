import importlib.util
import os
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
torch.set_num_threads(int(os.environ.get("S2C_TEST_THREADS", "2")))

import s2c  # noqa: E402
from s2c.evaluate import KODAK  # noqa: E402

TINY = dict(widths=(16, 16, 16), depths=(1, 1, 1), M=32, N=16, groups=(8, 8, 16))
SAMPLE = ROOT / "assets" / "samples" / "kodim23.png"


def load_script(name: str):
    """A module of scripts/ (not a package), loaded fresh so a test may patch it."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tiny_model(variant: str = "s2c-conv", seed: int = 0) -> s2c.S2CCodec:
    torch.manual_seed(seed)
    return s2c.create_model(variant, "lite", **TINY).eval()


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture
def photo() -> np.ndarray:
    """A real photo crop (Kodak sample shipped in assets/, else the shared copy)."""
    path = SAMPLE if SAMPLE.exists() else KODAK / "kodim23.png"
    image, _ = s2c.load_image(path)
    return image[128:256, 256:448].copy()
