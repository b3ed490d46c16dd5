"""s2c.ceiling: the unquantized reconstruction is the limit the real round trip reaches as quantization vanishes."""
import math

import pytest
import torch
from conftest import tiny_model

import s2c
from s2c.ceiling import ceiling_point, unquantized_reconstruction


def test_unquantized_reconstruction_keeps_an_odd_sized_image_shape(photo):
    image = photo[:37, :51]
    out = unquantized_reconstruction(tiny_model(), image, 3.0)
    assert out.shape == image.shape and out.dtype == image.dtype


def test_round_trip_reaches_the_ceiling_when_quantization_is_negligible(photo):
    if not s2c.has_pretrained("s2c-identity"):
        pytest.skip("needs a trained checkpoint (an untrained model's output hardly depends on its latent)")
    model = s2c.load_pretrained("s2c-identity")  # a fresh copy: its gains are changed below
    coarse = ceiling_point(model, photo, 1.0)
    with torch.no_grad():  # quantization step 1/256 of the latent's scale at level 1
        model.gain.log_gain[0] += math.log(256.0)
        model.gain.log_inv_gain[0] -= math.log(256.0)
    fine = ceiling_point(model, photo, 1.0)
    assert abs(fine.ceiling_psnr - coarse.ceiling_psnr) < 0.05  # the gains cancel without rounding
    assert fine.gap_db < 0.1 < coarse.gap_db
    assert fine.bpp > coarse.bpp
