"""Model family configurations (timm-style): a variant picks operators, a preset picks sizes."""
from dataclasses import asdict, dataclass, replace
from typing import Dict, List, Tuple

# CompressAI's MSE lambdas for qualities 1..6; one variable-rate model covers them all.
LAMBDAS: Tuple[float, ...] = (0.0018, 0.0035, 0.0067, 0.013, 0.025, 0.0483)
STAGE_NAMES: Tuple[str, ...] = ("enc1", "enc2", "enc3", "dec3", "dec2", "dec1")


@dataclass(frozen=True)
class CodecConfig:
    variant: str
    preset: str
    widths: Tuple[int, int, int]  # C1, C2, C3 (stage 1 is the highest resolution, 1/2 of the image)
    depths: Tuple[int, int, int]
    spatial: Tuple[str, str, str]  # operator per stage, same on both sides
    ffn: str = "mlp"
    ffn_ratio: float = 4.0
    window: int = 8
    shifted: bool = False  # Swin-style alternation of shifted windows
    M: int = 192  # latent channels
    N: int = 96  # hyper channels
    groups: Tuple[int, ...] = (16, 16, 32, 64, 64)
    levels: int = len(LAMBDAS)
    trained_by_us: bool = True  # False for timing-only references

    def to_dict(self) -> Dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Dict) -> "CodecConfig":
        tuples = {k: tuple(v) for k, v in d.items() if isinstance(v, list)}
        return cls(**{**d, **tuples})


PRESETS: Dict[str, Dict] = {
    "lite": dict(widths=(64, 96, 128), depths=(2, 2, 2), M=192, N=96, groups=(16, 16, 32, 64, 64)),
    "paper": dict(widths=(128, 192, 256), depths=(3, 3, 3), M=320, N=192, groups=(16, 16, 32, 64, 192)),
}

VARIANTS: Dict[str, Dict] = {
    "s2c-identity": dict(spatial=("identity",) * 3),
    "s2c-conv": dict(spatial=("conv",) * 3),
    "s2c-attention": dict(spatial=("attention",) * 3),
    "s2c-hybrid": dict(spatial=("conv", "attention", "attention"), ffn="gdfn"),
    # The Swin-style transform the paper argues against: shifted-window attention + the usual MLP FFN.
    "swin": dict(spatial=("attention",) * 3, shifted=True, trained_by_us=False),
}

DESCRIPTIONS: Dict[str, str] = {
    "s2c-identity": "S2C-Identity: no spatial operator, channel aggregation (FFN) only",
    "s2c-conv": "S2C-Conv: depthwise-separable 5x5 convolution, then FFN",
    "s2c-attention": "S2C-Attention: non-shifted 8x8 window attention, then FFN",
    "s2c-hybrid": "S2C-Hybrid: conv at 1/2 res, window attention at 1/4 and 1/8, gated depthwise FFN",
    "swin": "Swin-style reference: shifted-window attention + MLP FFN (timing only)",
}

S2C_VARIANTS: List[str] = [v for v in VARIANTS if v.startswith("s2c-")]


def short_name(variant: str) -> str:
    """A variant's name without the family prefix (tables' column headers): "s2c-conv" -> "conv"."""
    return variant.removeprefix("s2c-")


def make_config(variant: str, preset: str = "lite", **overrides) -> CodecConfig:
    if variant not in VARIANTS:
        raise KeyError(f"unknown variant {variant!r}; choose one of {', '.join(VARIANTS)}")
    if preset not in PRESETS:
        raise KeyError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")
    cfg = CodecConfig(variant=variant, preset=preset, **PRESETS[preset], **VARIANTS[variant])
    return replace(cfg, **overrides) if overrides else cfg
