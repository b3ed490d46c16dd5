"""Analysis (g_a) and synthesis (g_s) transforms: three stages of S2C blocks between stride-2 convolutions."""
import torch.nn as nn

from .blocks import S2CStage
from .config import CodecConfig


def down(cin: int, cout: int) -> nn.Conv2d:
    return nn.Conv2d(cin, cout, 3, stride=2, padding=1)


def up(cin: int, cout: int) -> nn.ConvTranspose2d:
    return nn.ConvTranspose2d(cin, cout, 3, stride=2, padding=1, output_padding=1)


def _stage(cfg: CodecConfig, i: int) -> S2CStage:
    return S2CStage(cfg.widths[i], cfg.depths[i], cfg.spatial[i], cfg.ffn, cfg.ffn_ratio, cfg.window, cfg.shifted)


class AnalysisTransform(nn.Module):
    """x (3, H, W) -> y (M, H/16, W/16). Stages are named enc1..enc3 (1/2, 1/4, 1/8 resolution)."""

    def __init__(self, cfg: CodecConfig):
        super().__init__()
        c1, c2, c3 = cfg.widths
        self.down1, self.enc1 = down(3, c1), _stage(cfg, 0)
        self.down2, self.enc2 = down(c1, c2), _stage(cfg, 1)
        self.down3, self.enc3 = down(c2, c3), _stage(cfg, 2)
        self.down4 = down(c3, cfg.M)

    def forward(self, x):
        x = self.enc1(self.down1(x))
        x = self.enc2(self.down2(x))
        x = self.enc3(self.down3(x))
        return self.down4(x)


class SynthesisTransform(nn.Module):
    """y_hat (M, H/16, W/16) -> x_hat (3, H, W). Stages dec3..dec1 mirror enc3..enc1."""

    def __init__(self, cfg: CodecConfig):
        super().__init__()
        c1, c2, c3 = cfg.widths
        self.up4, self.dec3 = up(cfg.M, c3), _stage(cfg, 2)
        self.up3, self.dec2 = up(c3, c2), _stage(cfg, 1)
        self.up2, self.dec1 = up(c2, c1), _stage(cfg, 0)
        self.up1 = up(c1, 3)

    def forward(self, y):
        x = self.dec3(self.up4(y))
        x = self.dec2(self.up3(x))
        x = self.dec1(self.up2(x))
        return self.up1(x)
