"""s2c.ceiling: the unquantized reconstruction is the limit the real round trip reaches as quantization vanishes."""
import json
import math

import pytest
import torch
from conftest import tiny_model

import s2c
from s2c.ceiling import ceiling_point, ceiling_text, measured_on, read_ceiling, unquantized_reconstruction


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


def write_measurement(path, total_steps):
    path.write_text(json.dumps({
        "image_set": "kodak", "images": 24, "quality": 6.0, "machine": "test host", "threads": 2,
        "date": "2026-11-26", "models": {"s2c-conv-lite": {
            "total_steps": total_steps, "ceiling_psnr": 29.81, "decoded_psnr": 29.36, "bpp": 1.0, "gap_db": 0.45,
            "images": {"kodim01": {"ceiling_psnr": 27.0, "decoded_psnr": 26.7, "bpp": 1.4}}}}}))


def test_read_ceiling_gives_the_means_with_how_they_were_measured(tmp_path):
    path = tmp_path / "ceiling.json"
    assert read_ceiling("s2c-conv-lite", path) is None
    write_measurement(path, 7116)
    entry = read_ceiling("s2c-conv-lite", path)
    assert entry["images"] == 24 and entry["machine"] == "test host" and entry["ceiling_psnr"] == 29.81
    assert read_ceiling("s2c-hybrid-lite", path) is None


def test_ceiling_text_tells_a_measurement_of_another_checkpoint_apart(tmp_path):
    path = tmp_path / "ceiling.json"
    write_measurement(path, 7116)
    entry = read_ceiling("s2c-conv-lite", path)
    current = ceiling_text(entry, {"training": {"total_steps": 7116}})
    assert "29.81 dB" in current and "0.45 dB under" in current and "test host" in current
    stale = ceiling_text(entry, {"training": {"total_steps": 7766}})
    assert "another checkpoint (7116 steps, this one has 7766)" in stale and "29.81" not in stale


def test_a_ceiling_with_a_weights_hash_belongs_to_those_weights_only():
    entry = {"total_steps": 7116, "weights_sha256": "a"}
    assert measured_on(entry, {"weights_sha256": "a", "training": {"total_steps": 7116}})
    # a weight soup: the steps of the round it averaged, other weights
    assert not measured_on(entry, {"weights_sha256": "b", "training": {"total_steps": 7116}})
