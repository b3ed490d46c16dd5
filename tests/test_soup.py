"""scripts/soup.py: a soup round ships the mean of earlier rounds' weights, with a 0-step stage in its card."""
import pytest
import torch
from conftest import load_script, tiny_model

import s2c
from s2c.cards import own_steps
from s2c.rounds import recipe_of, round_of
from s2c.zoo import save_checkpoint

VARIANT = "s2c-conv"


def shipped(directory, round_no, seed):
    """A tiny checkpoint as round ``round_no`` shipped it, with a card whose lineage ends in that round."""
    model = tiny_model(VARIANT, seed)
    history = [{"round": r, "stage": "variant", "variant": VARIANT, "steps": 100, "wall_s": 1.0,
                "recipe": {"lr": 1e-4, "batch": 2, "crop": 256}} for r in range(1, round_no + 1)]
    save_checkpoint(model, {"training": {"steps": 100, "history": history, "total_steps": 100 * round_no}}, directory)
    return s2c.load_pretrained(VARIANT, "lite", directory)


@pytest.fixture
def two_rounds(tmp_path):
    """Rounds 1 and 2 as shipped: their folders and their models."""
    dirs = [tmp_path / f"r{r}" for r in (1, 2)]
    return dirs, [shipped(d, r, seed=r) for r, d in zip((1, 2), dirs)]


def test_the_soup_is_the_mean_of_its_inputs_and_a_zero_step_round(tmp_path, two_rounds):
    soup = load_script("soup")
    dirs, inputs = two_rounds
    soup.soup(VARIANT, dirs, 3, tmp_path / "out")
    mean = s2c.load_pretrained(VARIANT, "lite", tmp_path / "out")  # verifies the card's weights hash too
    for name, p in mean.named_parameters():
        expected = (dict(inputs[0].named_parameters())[name] + dict(inputs[1].named_parameters())[name]) / 2
        torch.testing.assert_close(p, expected.half().float(), atol=1e-3, rtol=1e-3)
    card = s2c.read_card(VARIANT, "lite", tmp_path / "out")
    assert (round_of(card), card["training"]["history"][-1]["stage"], own_steps(card)) == (3, "soup", 200)
    assert card["training"]["total_steps"] == 200
    assert recipe_of(card, 3)["soup_of"] == [1, 2] and recipe_of(card, 2)["lr"] == 1e-4
    assert [i["round"] for i in card["soup"]["of"]] == [1, 2]


def test_the_soup_codes_real_bitstreams(tmp_path, two_rounds, photo):
    soup = load_script("soup")
    soup.soup(VARIANT, two_rounds[0], 3, tmp_path / "out")
    model = s2c.load_pretrained(VARIANT, "lite", tmp_path / "out")
    enc = s2c.compress(model, photo, 3)
    assert s2c.decompress(enc.data, model).image.shape == photo.shape


def test_a_soup_must_be_a_later_round_than_its_inputs(tmp_path, two_rounds):
    soup = load_script("soup")
    dirs, _ = two_rounds
    with pytest.raises(SystemExit, match="not after"):
        soup.soup(VARIANT, dirs, 2, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    with pytest.raises(SystemExit):
        soup.main(["3", str(dirs[0]), "--out", str(tmp_path / "out")])  # one input is no soup
