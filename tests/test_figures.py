"""Figure builders and model-card summaries, tested directly on small data."""
import numpy as np
import pytest

from s2c import cards, figures
from s2c.analysis import BitAllocation


def allocation() -> BitAllocation:
    rng = np.random.default_rng(0)
    m, h, w = 8, 3, 4
    return BitAllocation(y_bits=rng.random((m, h, w)), z_bits=rng.random((4, 1, 1)), groups=[2, 2, 4],
                         y_hat=rng.normal(size=(m, h, w)), means=rng.normal(size=(m, h, w)),
                         scales=rng.random((m, h, w)), real_bytes=100, header_bytes=30, pixels=64 * 64)


@pytest.mark.parametrize("sort", [False, True])
def test_bits_per_channel_has_every_channel_once(sort):
    ba = allocation()
    fig = figures.bits_per_channel(ba, sort)
    assert len(fig.data) == len(ba.groups)
    shown = np.concatenate([np.asarray(t.customdata) for t in fig.data])
    assert sorted(shown.tolist()) == list(range(8))
    heights = np.concatenate([np.asarray(t.y) for t in fig.data])
    assert np.isclose(heights.sum(), ba.bits_per_channel.sum())


def test_bits_per_group_adds_z():
    ba = allocation()
    fig = figures.bits_per_group(ba)
    assert list(fig.data[0].x)[-1] == "z (hyperprior)"
    assert np.isclose(sum(fig.data[0].y), ba.bits_per_group.sum() + ba.estimated_bits["z"])


def test_rd_curves_styles_by_kind_and_skips_missing_metric():
    codecs = {"ours": {"kind": "learned", "bpp": [0.1, 0.2], "psnr": [30, 32], "ms_ssim": [0.9, 0.95]},
              "jpeg": {"kind": "classical", "bpp": [0.2, 0.4], "psnr": [28, 31]},
              "vtm": {"kind": "reference", "bpp": [0.1, 0.3], "psnr": [31, 34], "ms_ssim": None}}
    fig = figures.rd_curves(codecs, "psnr")
    assert [t.line.dash for t in fig.data] == ["solid", "dot", "dash"]
    assert [t.name for t in figures.rd_curves(codecs, "ms_ssim").data] == ["ours"]


def test_rd_view_opens_on_the_learned_rates():
    codecs = {"ours": {"kind": "learned", "bpp": [0.2, 1.0], "psnr": [26.0, 29.0]},
              "jpeg": {"kind": "classical", "bpp": [0.5, 1.4, 6.0], "psnr": [27.0, 31.0, 45.0]}}
    fig = figures.rd_curves(codecs, "psnr")
    assert tuple(fig.layout.xaxis.range) == (0.0, 1.5)
    y0, y1 = fig.layout.yaxis.range
    assert y0 < 26.0 and 31.0 < y1 < 45.0  # jpeg's point at 6 bpp is outside the view
    assert fig.data[0].line.width > fig.data[1].line.width
    assert figures.learned_view({"jpeg": codecs["jpeg"]}, "psnr") is None


def test_bd_rate_rows_sign_na_and_diagonal():
    rows = figures.bd_rate_rows({"a": {"jpeg": -2.34, "webp": None, "b": 5.0}, "b": {"jpeg": 1.0, "a": -5.0}})
    assert rows[0] == {"model": "a", "jpeg": "-2.3%", "webp": "n/a", "b": "+5.0%", "a": "—"}
    assert rows[1]["b"] == "—" and rows[1]["a"] == "-5.0%"


def test_latency_bars_stack_transform_and_entropy():
    rows = {"a": {"dec_transform_ms": 10.0, "dec_entropy_ms": 5.0},
            "b": {"dec_transform_ms": 20.0, "dec_entropy_ms": 1.0}}
    fig = figures.latency_bars(rows, "dec")
    assert fig.layout.barmode == "stack"
    assert list(fig.data[0].x) == [10.0, 20.0] and list(fig.data[1].x) == [5.0, 1.0]


def test_moving_average():
    assert figures.moving_average([1, 2, 3, 4], 2) == [1.0, 1.5, 2.5, 3.5]
    assert figures.moving_average([5, 7], 1) == [5, 7]
    fig = figures.training_curves({"level 1": [{"step": s, "psnr": float(s)} for s in range(5)]}, "psnr", smooth=3)
    assert list(fig.data[0].y) == [0.0, 0.5, 1.0, 2.0, 3.0]


CARD = {"variant": "s2c-conv", "training": {"history": [
    {"round": 1, "stage": "trunk", "variant": "s2c-identity", "steps": 3000, "wall_s": 3600.0,
     "recipe": {"batch": 8, "crop": 128, "lr": 2e-4, "seed": 1}},
    {"round": 2, "stage": "variant", "variant": "s2c-conv", "steps": 300, "wall_s": 360.0,
     "recipe": {"batch": 8, "crop": 128, "lr": 2e-4, "gain_lr_scale": 10.0, "seed": 2}}]},
    "kodak": {"psnr": [27.0, 31.5], "bpp": [0.2, 0.9], "bd_rate_psnr": {"jpeg": -30.0, "webp": None}}}


def test_card_stages_and_summary_fields():
    rows = cards.stage_rows(CARD)
    assert [r["steps"] for r in rows] == [3000, 300]
    assert rows[1]["gain lr x"] == 10.0 and rows[0]["gain lr x"] == 1.0
    assert rows[0]["batch x crop"] == "8 x 128²"  # the round table's label, not a second format of it
    assert cards.stage_rows({"training": {"history": [{"round": 1, "recipe": {}}]}})[0]["batch x crop"] == "—"
    soup = {"round": 30, "stage": "soup", "steps": 0, "recipe": {"soup_of": [25, 26, 27, 29]}}
    assert cards.stage_rows({"training": {"history": [soup]}})[0]["batch x crop"] == "mean of rounds 25-27, 29"
    averaged = {"round": 34, "recipe": {"batch": 2, "crop": 256, "ema": 0.995}}
    assert cards.stage_rows({"training": {"history": [averaged]}})[0]["batch x crop"] == "2 x 256², EMA 0.995"
    one_round = {"training": {"history": [{**h, "round": 1} for h in CARD["training"]["history"]]}}
    assert cards.round_recipe(one_round, 1)["seed"] == 2  # the round's last stage
    assert cards.round_recipe(one_round, 1, "trunk")["seed"] == 1
    assert cards.own_steps(CARD) == 300
    assert cards.kodak_range(CARD) == "27.0 dB @ 0.20 bpp ... 31.5 dB @ 0.90 bpp"


def test_own_steps_add_up_over_rounds_after_the_last_trunk():
    later = {**CARD, "training": {"history": CARD["training"]["history"] + [
        {"round": 3, "stage": "variant", "variant": "s2c-conv", "steps": 500, "wall_s": 900.0, "recipe": {}}]}}
    assert cards.own_steps(later) == 800


def test_old_cards_without_history_still_read():
    old = {"variant": "s2c-conv", "training": {"steps": 400, "wall_s": 10.0, "recipe": {},
                                               "trunk": {"steps": 3000, "wall_s": 20.0, "variant": "s2c-identity"}}}
    assert [(s["stage"], s["steps"]) for s in cards.stages(old)] == [("trunk", 3000), ("variant", 400)]


def test_training_summary_reads_the_shipped_cards():
    import s2c
    rows = cards.training_summary(s2c.S2C_VARIANTS)
    assert [r["model"] for r in rows] == [f"{v}-lite" for v in s2c.S2C_VARIANTS if s2c.has_pretrained(v)]
    for r in rows:
        assert r["steps"] >= r["own steps"] > 0


def test_bits_overlay_covers_the_image():
    image = np.zeros((40, 70, 3), np.uint8)
    bits = np.arange(15, dtype=float).reshape(3, 5)  # padded to 48 x 80 -> 3 x 5 latent cells
    fig = figures.bits_overlay(image, bits, "t")
    picture, heat = fig.data
    assert picture.source.startswith("data:image/png;base64,")
    assert heat.dx == 16 and np.array_equal(np.asarray(heat.z), bits)
    assert tuple(fig.layout.xaxis.range) == (-0.5, 69.5) and tuple(fig.layout.yaxis.range) == (39.5, -0.5)


def test_kodak_results_go_only_into_the_card_of_the_weights_they_measured(tmp_path, monkeypatch):
    import json

    from s2c import evaluate, zoo
    monkeypatch.setattr(zoo, "CHECKPOINT_DIR", tmp_path)
    for v, h in (("s2c-conv", "aaa"), ("s2c-identity", "bbb")):
        (tmp_path / f"{v}-lite.json").write_text(json.dumps({"variant": v, "weights_sha256": h}))
    curve = {"kind": "learned", "quality": [1, 2], "bpp": [0.2, 0.4], "psnr": [27.0, 29.0], "ms_ssim": [0.9, 0.95]}
    results = {"images": 24, "machine": "m", "threads": 2, "date": "d", "bd_rate": {"s2c-conv-lite": {"jpeg": -5.0},
               "s2c-identity-lite": {"jpeg": -4.0}},
               "codecs": {"s2c-conv-lite": {**curve, "weights_sha256": "aaa"},
                          "s2c-identity-lite": {**curve, "weights_sha256": "stale"},
                          "jpeg": {"kind": "classical", "bpp": [], "psnr": []}}}
    evaluate.write_cards(results)
    conv = json.loads((tmp_path / "s2c-conv-lite.json").read_text())
    assert conv["kodak"]["psnr"] == [27.0, 29.0] and conv["kodak"]["bd_rate_psnr"] == {"jpeg": -5.0}
    assert "kodak" not in json.loads((tmp_path / "s2c-identity-lite.json").read_text())


def test_rounds_chart_draws_one_line_per_checkpoint_against_a_parity_line():
    series = {"a": {"round": [2, 3], "bd_rate": [90.0, 60.0], "own_steps": [300, 950]},
              "b": {"round": [3], "bd_rate": [70.0], "own_steps": [950]}}
    fig = figures.rounds_chart(series, "WebP", highlight="b")
    assert [(t.name, list(t.x), list(t.y)) for t in fig.data] == [("a", [2, 3], [90.0, 60.0]), ("b", [3], [70.0])]
    assert fig.data[1].line.width > fig.data[0].line.width
    assert [s.y0 for s in fig.layout.shapes] == [0]


def test_rounds_chart_from_a_later_round_leaves_the_earlier_ones_out():
    series = {"a": {"round": [2, 3, 5], "bd_rate": [90.0, 60.0, 40.0], "own_steps": [300, 950, 2000]},
              "b": {"round": [2], "bd_rate": [70.0], "own_steps": [300]}}
    fig = figures.rounds_chart(series, "WebP", since=3)
    assert [(t.name, list(t.x), list(t.y), list(t.customdata)) for t in fig.data] == [
        ("a", [3, 5], [60.0, 40.0], [950, 2000]), ("b", [], [], [])]
    assert list(fig.layout.xaxis.range) == [2.5, 5.5]
