"""Small building blocks: channel LayerNorm and the channel-aggregation FFNs."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LayerNorm2d(nn.LayerNorm):
    """LayerNorm over the channel axis of an NCHW tensor."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.layer_norm(x.permute(0, 2, 3, 1), self.normalized_shape, self.weight, self.bias, self.eps).permute(
            0, 3, 1, 2
        )


class MlpFFN(nn.Module):
    """The plain channel-aggregation FFN: 1x1 C->rC, GELU, 1x1 rC->C."""

    def __init__(self, dim: int, ratio: float = 4.0):
        super().__init__()
        hidden = int(dim * ratio)
        self.fc1 = nn.Conv2d(dim, hidden, 1)
        self.fc2 = nn.Conv2d(hidden, dim, 1)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))

    @torch.no_grad()
    def residual_rows(self, x: torch.Tensor, norm: nn.LayerNorm, rows: int = 4096) -> torch.Tensor:
        """Inference only: x + FFN(norm(x)) for NCHW ``x``, as matrix products over NHWC rows of pixels.

        The same function as the 1x1-conv path, computed ``rows`` pixels at a time so that the r-times wider
        hidden activation stays in cache instead of streaming a (rC, H, W) tensor through memory. Returns a
        channels-last NCHW tensor.
        """
        b, c, h, w = x.shape
        flat = x.permute(0, 2, 3, 1).reshape(-1, c)
        out = torch.empty_like(flat)
        w1, w2 = self.fc1.weight.reshape(-1, c), self.fc2.weight.reshape(c, -1)
        for i in range(0, flat.shape[0], rows):
            r = flat[i:i + rows]
            hidden = F.gelu(F.linear(F.layer_norm(r, (c,), norm.weight, norm.bias, norm.eps), w1, self.fc1.bias))
            torch.addmm(r + self.fc2.bias, hidden, w2.t(), out=out[i:i + rows])
        return out.view(b, h, w, c).permute(0, 3, 1, 2)


class GatedFFN(nn.Module):
    """Gated (GLU) FFN of S2C-Hybrid: 1x1 C->2rC, [depthwise 3x3], GELU(a) * b, 1x1 rC->C.

    With ``depthwise=True`` this is the "gdfn" variant. ``init_from_mlp`` copies an MlpFFN so that the
    gated FFN computes exactly the same function (gate fixed at 1, depthwise at identity): a warm start.
    """

    def __init__(self, dim: int, ratio: float = 4.0, depthwise: bool = False):
        super().__init__()
        hidden = int(dim * ratio)
        self.hidden = hidden
        self.fc1 = nn.Conv2d(dim, 2 * hidden, 1)
        self.dw = nn.Conv2d(2 * hidden, 2 * hidden, 3, padding=1, groups=2 * hidden) if depthwise else None
        self.fc2 = nn.Conv2d(hidden, dim, 1)

    def forward(self, x):
        h = self.fc1(x)
        if self.dw is not None:
            h = self.dw(h)
        a, b = h.chunk(2, dim=1)
        return self.fc2(F.gelu(a) * b)

    @torch.no_grad()
    def init_from_mlp(self, mlp: MlpFFN) -> None:
        n = self.hidden
        self.fc1.weight.zero_()
        self.fc1.bias.zero_()
        self.fc1.weight[:n].copy_(mlp.fc1.weight)
        self.fc1.bias[:n].copy_(mlp.fc1.bias)
        self.fc1.bias[n:].fill_(1.0)
        if self.dw is not None:
            self.dw.weight.zero_()
            self.dw.weight[:, :, 1, 1] = 1.0
            self.dw.bias.zero_()
        self.fc2.load_state_dict(mlp.fc2.state_dict())


def make_ffn(kind: str, dim: int, ratio: float) -> nn.Module:
    if kind == "mlp":
        return MlpFFN(dim, ratio)
    if kind == "gated":
        return GatedFFN(dim, ratio, depthwise=False)
    if kind == "gdfn":
        return GatedFFN(dim, ratio, depthwise=True)
    raise ValueError(f"unknown FFN kind {kind!r} (expected mlp, gated or gdfn)")
