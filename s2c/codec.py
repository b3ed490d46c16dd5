"""S2CCodec: analysis/synthesis S2C transforms + gain units + the hyperprior/channel-group latent codec."""
import time
from typing import Dict, Optional

import torch
from compressai.layers import MaskedConv2d
from compressai.models import CompressionModel

from .config import CodecConfig
from .entropy import build_latent_codec
from .gain import GainUnits
from .transforms import AnalysisTransform, SynthesisTransform

# y is at 1/16 and z at 1/64 of the image; the checkerboard needs even latent sizes, so pad to 64.
PAD_MULTIPLE = 64
# Inference runs the transforms channels-last (NHWC): oneDNN's fast convolution layout, and the FFN's 1x1 convs
# and LayerNorm become plain row-major matrix products without transposes.
CHANNELS_LAST = torch.channels_last


class _Timer:
    """Adds elapsed milliseconds to ``timings[key]`` when given a dict; a no-op otherwise."""

    def __init__(self, timings: Optional[Dict[str, float]], key: str):
        self.timings, self.key = timings, key

    def __enter__(self):
        self.t0 = time.perf_counter()

    def __exit__(self, *exc):
        if self.timings is not None:
            self.timings[self.key] = self.timings.get(self.key, 0.0) + (time.perf_counter() - self.t0) * 1e3


class S2CCodec(CompressionModel):
    def __init__(self, cfg: CodecConfig):
        super().__init__()
        self.cfg = cfg
        self.g_a = AnalysisTransform(cfg)
        self.g_s = SynthesisTransform(cfg)
        self.gain = GainUnits(cfg.levels, cfg.M)
        self.latent_codec = build_latent_codec(cfg)
        self._apply_context_masks()

    @torch.no_grad()
    def _apply_context_masks(self):
        # compressai's masked convs zero their masked weights in place on every forward; doing it once here
        # makes that a no-op, so a forward pass never changes the parameters (or the weights hash).
        for m in self.modules():
            if isinstance(m, MaskedConv2d):
                m.weight.mul_(m.mask)

    def load_state_dict(self, state_dict, strict=True):
        result = super().load_state_dict(state_dict, strict=strict)
        self._apply_context_masks()
        return result

    def channels_last(self) -> "S2CCodec":
        """Stores the transforms' convolution weights channels-last (same values, same weights hash): with
        channels-last activations oneDNN then needs no layout conversions. Returns self; for inference."""
        self.g_a.to(memory_format=CHANNELS_LAST)
        self.g_s.to(memory_format=CHANNELS_LAST)
        return self

    @property
    def name(self) -> str:
        return f"{self.cfg.variant}-{self.cfg.preset}"

    def analyze(self, x: torch.Tensor, quality: float) -> torch.Tensor:
        """The latent y before quantization: the analysis transform scaled by the level's gain."""
        return self.g_a(x) * self.gain.gain(quality)

    def forward(self, x: torch.Tensor, quality: float) -> Dict:
        y = self.analyze(x, quality)
        out = self.latent_codec(y)
        x_hat = self.g_s(out["y_hat"] * self.gain.inv_gain(quality))
        return {"x_hat": x_hat, "likelihoods": out["likelihoods"], "y_hat": out["y_hat"]}

    @torch.inference_mode()
    def compress(self, x: torch.Tensor, quality: float, timings: Optional[Dict] = None) -> Dict:
        """x: (1, 3, H, W) in [0, 1] with H, W multiples of PAD_MULTIPLE. Returns strings and latent shapes.

        ``timings`` (optional dict) receives transform_ms and entropy_ms.
        """
        with _Timer(timings, "transform_ms"):
            y = self.analyze(x.contiguous(memory_format=CHANNELS_LAST), quality).contiguous()
        with _Timer(timings, "entropy_ms"):
            out = self.latent_codec.compress(y)
        return {"strings": out["strings"], "shape": out["shape"], "y_hat": out["y_hat"]}

    @torch.inference_mode()
    def decompress(self, strings, shape, quality: float, timings: Optional[Dict] = None) -> torch.Tensor:
        with _Timer(timings, "entropy_ms"):
            y_hat = self.latent_codec.decompress(strings, shape)["y_hat"]
        with _Timer(timings, "transform_ms"):
            return self.synthesize(y_hat, quality)

    @torch.inference_mode()
    def synthesize(self, y_hat: torch.Tensor, quality: float) -> torch.Tensor:
        return self.g_s(self.synthesis_input(y_hat, quality)).clamp_(0, 1).contiguous()

    def synthesis_input(self, y_hat: torch.Tensor, quality: float) -> torch.Tensor:
        """The decoded latent as g_s takes it: gain undone, channels-last."""
        return (y_hat * self.gain.inv_gain(quality)).contiguous(memory_format=CHANNELS_LAST)

    def spatial_blocks(self):
        """(stage name, block) for every S2C block, e.g. ("enc1", block)."""
        for side in (self.g_a, self.g_s):
            for stage_name, stage in side.named_children():
                if stage_name[:3] in ("enc", "dec"):
                    for block in stage:
                        yield stage_name, block
