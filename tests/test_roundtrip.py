import numpy as np
import pytest
import torch
from conftest import tiny_model

import s2c
from s2c.codec import PAD_MULTIPLE
from s2c.imageio import pad_to, to_tensor, to_uint8


@pytest.mark.parametrize("variant", s2c.S2C_VARIANTS)
def test_decode_reproduces_encoder_reconstruction_exactly(variant, photo):
    model = tiny_model(variant)
    enc = s2c.compress(model, photo, 3.5)
    first = s2c.decompress(enc.data, model)
    second = s2c.decompress(enc.data, model)
    expected = to_uint8(model.synthesize(enc.y_hat * 1.0, 3.5)[..., :photo.shape[0], :photo.shape[1]])
    assert np.array_equal(first.image, expected)
    assert np.array_equal(first.image, second.image)
    assert first.image.shape == photo.shape


@pytest.mark.parametrize("variant", s2c.S2C_VARIANTS)
def test_decode_matches_forward_pass(variant, photo):
    """The forward pass and the coder compute the same quantized latent.

    The two paths run the context networks on differently laid-out tensors (full vs. checkerboard halves), so
    float results can differ in the last bits; the quantized symbols must agree and the images within 1e-4.
    """
    model = tiny_model(variant)
    x, _ = pad_to(to_tensor(photo), PAD_MULTIPLE)
    with torch.no_grad():
        fwd = model(x, 2.0)
    model.update()
    coded = model.compress(x, 2.0)
    decoded = model.decompress(coded["strings"], coded["shape"], 2.0)
    same = (fwd["y_hat"] - coded["y_hat"]).abs() < 1e-4
    assert same.float().mean() > 0.999
    assert torch.allclose(decoded, fwd["x_hat"].clamp(0, 1), atol=1e-3)


def test_real_and_estimated_bits_are_both_reported(photo):
    from s2c.analysis import bit_allocation
    from s2c.bitstream import unpack
    model = tiny_model("s2c-hybrid")
    ba = bit_allocation(model, photo, 4.0)
    enc = s2c.compress(model, photo, 4.0)
    header, strings = unpack(enc.data)
    assert ba.real_bytes == len(enc.data)
    assert ba.header_bytes == len(enc.data) - sum(map(len, strings))
    assert ba.estimated_bits["y"] > 0 and ba.estimated_bits["z"] > 0
    assert ba.bits_per_channel.shape == (model.cfg.M,)
    assert np.isclose(ba.bits_per_group.sum(), ba.estimated_bits["y"], rtol=1e-4)
    assert np.isclose(ba.spatial_bits.sum(), ba.estimated_bits["y"], rtol=1e-4)
    assert ba.means.shape == ba.scales.shape == ba.y_hat.shape


def test_quality_out_of_range_is_refused(photo):
    with pytest.raises(ValueError, match="quality"):
        s2c.compress(tiny_model(), photo, 0.5)
