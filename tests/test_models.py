import numpy as np
import pytest
import torch
from conftest import tiny_model

import s2c


@pytest.mark.parametrize("preset", list(s2c.PRESETS))
@pytest.mark.parametrize("variant", s2c.S2C_VARIANTS)
def test_forward_shapes_and_likelihoods(variant, preset):
    torch.manual_seed(0)
    model = s2c.create_model(variant, preset).eval()
    x = torch.rand(1, 3, 64, 128)
    with torch.no_grad():
        out = model(x, 3.5)
    cfg = model.cfg
    assert out["x_hat"].shape == x.shape
    assert out["y_hat"].shape == (1, cfg.M, 4, 8)
    assert out["likelihoods"]["z"].shape == (1, cfg.N, 1, 2)
    for lik in out["likelihoods"].values():
        assert torch.all(lik > 0) and torch.all(lik <= 1)


def test_registry_and_errors():
    assert set(s2c.S2C_VARIANTS) == {"s2c-identity", "s2c-conv", "s2c-attention", "s2c-hybrid"}
    with pytest.raises(KeyError, match="unknown variant"):
        s2c.create_model("s2c-nope")
    with pytest.raises(KeyError, match="unknown preset"):
        s2c.create_model("s2c-conv", "huge")


def test_spatial_operators_per_variant():
    kinds = {v: {type(b.spatial).__name__ for _, b in s2c.create_model(v).spatial_blocks()} for v in s2c.S2C_VARIANTS}
    assert kinds["s2c-identity"] == {"NoneType"}
    assert kinds["s2c-conv"] == {"ConvMixer"}
    assert kinds["s2c-attention"] == {"WindowAttention"}
    assert kinds["s2c-hybrid"] == {"ConvMixer", "WindowAttention"}
    hybrid = s2c.create_model("s2c-hybrid")
    assert {type(b.ffn).__name__ for _, b in hybrid.spatial_blocks()} == {"GatedFFN"}


@pytest.mark.parametrize("variant", s2c.S2C_VARIANTS)
def test_gain_levels_raise_rate(variant, photo):
    model = tiny_model(variant)
    x = s2c.imageio.to_tensor(photo)
    with torch.no_grad():
        bpp = [sum(-l.log2().sum() for l in model(x, q)["likelihoods"].values()).item() for q in range(1, 7)]
    assert np.mean(np.diff(bpp)) > 0 and bpp[-1] > bpp[0]
    with pytest.raises(ValueError, match="quality"):
        model(x, 6.5)


def test_continuous_quality_interpolates_between_levels():
    model = tiny_model()
    g2, g3, g25 = (model.gain.gain(q) for q in (2, 3, 2.5))
    assert torch.allclose(g25, (g2 * g3).sqrt(), rtol=1e-5)  # geometric interpolation


def test_window_attention_ignores_padding():
    """The result at a position must not depend on what the padding would have held."""
    from s2c.spatial import WindowAttention
    torch.manual_seed(0)
    attn = WindowAttention(32, window=8).eval()
    x = torch.randn(1, 32, 12, 10)
    big = torch.cat([x, torch.randn(1, 32, 4, 10)], 2)
    big = torch.cat([big, torch.randn(1, 32, 16, 6)], 3)
    with torch.no_grad():
        crop = attn(x)
        full = attn(big)
    # windows that hold only real pixels of x see the same tokens in both
    assert torch.allclose(crop[..., :8, :8], full[..., :8, :8], atol=1e-5)
    assert crop.shape == x.shape and torch.isfinite(crop).all()


def test_swin_reference_alternates_shift():
    swin = s2c.create_model("swin", "lite")
    shifts = [b.spatial.shift for _, b in swin.spatial_blocks()]
    assert 0 in shifts and 4 in shifts
    with torch.no_grad():
        assert swin.eval()(torch.rand(1, 3, 64, 64), 1)["x_hat"].shape == (1, 3, 64, 64)


def test_bd_rate():
    from s2c.metrics import bd_rate
    r = [0.1, 0.2, 0.4, 0.8]
    d = [28.0, 31.0, 34.0, 37.0]
    assert abs(bd_rate(r, d, [x * 0.9 for x in r], d) - (-10.0)) < 0.5
    assert bd_rate(r, d, r, [x + 20 for x in d]) is None  # no overlap in quality: refuse


def test_bd_rate_over_the_shared_interval():
    from s2c.metrics import bd_rate, overlap_interval
    r = [0.1, 0.2, 0.4, 0.8, 1.6, 3.2]
    d = [26.0, 29.0, 32.0, 35.0, 38.0, 41.0]
    short_r, short_d = [x * 1.2 for x in r[1:5]], d[1:5]  # 20% more bits, covering only 29-38 dB
    assert overlap_interval(d, short_d) == (29.0, 38.0)
    assert abs(bd_rate(r, d, short_r, short_d) - 20.0) < 0.5
    assert overlap_interval(d, [40.0, 42.0, 44.0, 46.0]) is None  # 1 dB of a 6 dB curve: refused
