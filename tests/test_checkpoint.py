import json

import pytest
import torch
from conftest import ROOT, TINY, tiny_model

import s2c
from s2c.zoo import checkpoint_paths, load_pretrained, save_checkpoint


def saved(tmp_path, variant="s2c-conv"):
    model = tiny_model(variant)
    save_checkpoint(model, {"training": {"steps": 0}}, tmp_path)
    return model


def test_save_load_round_trip_is_exact(tmp_path, photo):
    model = saved(tmp_path)
    loaded = load_pretrained("s2c-conv", "lite", tmp_path)
    for (k, a), (_, b) in zip(sorted(model.state_dict().items()), sorted(loaded.state_dict().items())):
        assert torch.equal(a, b), k
    data = s2c.compress(model, photo, 2).data
    assert (s2c.decompress(data, loaded).image == s2c.decompress(data, model).image).all()
    card = json.loads(checkpoint_paths("s2c-conv", "lite", tmp_path)[1].read_text())
    assert card["config"]["widths"] == list(TINY["widths"]) and card["weights_sha256"]


def test_missing_checkpoint(tmp_path):
    with pytest.raises(s2c.CheckpointError, match="no trained checkpoint"):
        load_pretrained("s2c-conv", "lite", tmp_path)


def test_corrupted_checkpoint(tmp_path):
    saved(tmp_path)
    weights, _ = checkpoint_paths("s2c-conv", "lite", tmp_path)
    weights.write_bytes(weights.read_bytes()[:1000])
    with pytest.raises(s2c.CheckpointError, match="not a readable safetensors"):
        load_pretrained("s2c-conv", "lite", tmp_path)


def test_tampered_weights_do_not_match_card(tmp_path):
    saved(tmp_path)
    weights, card = checkpoint_paths("s2c-conv", "lite", tmp_path)
    c = json.loads(card.read_text())
    c["weights_sha256"] = "0" * 64
    card.write_text(json.dumps(c))
    with pytest.raises(s2c.CheckpointError, match="does not match its model card"):
        load_pretrained("s2c-conv", "lite", tmp_path)


def test_mismatched_checkpoint(tmp_path):
    saved(tmp_path, "s2c-identity")
    src, src_card = checkpoint_paths("s2c-identity", "lite", tmp_path)
    dst, dst_card = checkpoint_paths("s2c-conv", "lite", tmp_path)
    src.rename(dst)
    src_card.rename(dst_card)
    with pytest.raises(s2c.CheckpointError, match="holds s2c-identity-lite"):
        load_pretrained("s2c-conv", "lite", tmp_path)


def test_nothing_unpickles():
    sources = [*(ROOT / "s2c").rglob("*.py"), *ROOT.glob("*.py"), *(ROOT / "pages").glob("*.py")]
    for path in sources:
        text = path.read_text()
        for bad in ("torch.load(", "pickle.load", "import pickle"):
            assert bad not in text, f"{path.name} uses {bad}"


@pytest.mark.parametrize("path", sorted((ROOT / "checkpoints").glob("*.safetensors")), ids=lambda p: p.stem)
def test_shipped_checkpoints_load_and_decode(path, photo):
    variant, preset = path.stem.rsplit("-", 1)
    model = load_pretrained(variant, preset)
    enc = s2c.compress(model, photo, 3)
    assert s2c.decompress(enc.data).image.shape == photo.shape


def test_shipped_checkpoints_fit_the_budget():
    total = sum(p.stat().st_size for p in (ROOT / "checkpoints").glob("*.safetensors"))
    assert total < 80e6
