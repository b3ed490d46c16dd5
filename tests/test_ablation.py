import pytest
import torch
from conftest import tiny_model

import s2c


@pytest.mark.parametrize("variant", ["s2c-conv", "s2c-attention", "s2c-hybrid"])
def test_knock_out_leaves_original_untouched(variant):
    model = tiny_model(variant)
    x = torch.rand(1, 3, 64, 64)
    with torch.no_grad():
        before = model(x, 3)["x_hat"]
        ablated = s2c.knock_out(model, ["enc1", "dec2"])
        knocked = ablated(x, 3)["x_hat"]
        after = model(x, 3)["x_hat"]
    assert torch.equal(before, after)
    assert not torch.allclose(before, knocked)
    assert s2c.stages_with_spatial(model) == list(s2c.STAGE_NAMES)
    assert s2c.stages_with_spatial(ablated) == ["enc2", "enc3", "dec3", "dec1"]


def test_knock_out_shares_weights_and_knock_all_is_identity_architecture():
    model = tiny_model("s2c-conv")
    ablated = s2c.knock_out(model, s2c.STAGE_NAMES)
    assert model.g_a.down1.weight.data_ptr() == ablated.g_a.down1.weight.data_ptr()
    assert s2c.stages_with_spatial(ablated) == []
    ident = tiny_model("s2c-identity")
    assert {k for k in ablated.state_dict() if "spatial" not in k} == set(ident.state_dict())


def test_knocked_out_bitstream_needs_the_same_knock_out(photo):
    model = tiny_model("s2c-conv")
    ablated = s2c.knock_out(model, ["dec1"])
    data = s2c.compress(ablated, photo, 3).data
    assert s2c.decompress(data, s2c.knock_out(model, ["dec1"])).image.shape == photo.shape
    with pytest.raises(s2c.BitstreamError):
        s2c.decompress(data, model)


def test_unknown_stage():
    with pytest.raises(ValueError, match="unknown stage"):
        s2c.knock_out(tiny_model(), ["enc4"])
