"""s2c/rounds.py: each round's standing is archived from evaluated cards, and the committed archive is current."""
import pytest

from s2c import read_card
from s2c import rounds as history
from s2c.config import S2C_VARIANTS


def card(rnd, steps, webp=50.0, lr=2e-4, batch=8, crop=128):
    stages = [{"round": 1, "stage": "trunk", "steps": 1000, "recipe": {"lr": 5e-4, "batch": 8, "crop": 128}},
              {"round": rnd, "stage": "variant", "steps": steps - 1000,
               "recipe": {"lr": lr, "batch": batch, "crop": crop}}]
    return {"training": {"history": stages, "total_steps": steps},
            "kodak": {"date": "2026-11-27", "bpp": [0.2, 0.9], "psnr": [27.0, 30.0], "bd_rate_psnr": {"webp": webp}}}


def ceiling(steps):
    return {"models": {"s2c-conv-lite": {"total_steps": steps, "ceiling_psnr": 31.0, "decoded_psnr": 30.5,
                                         "gap_db": 0.5}}}


def test_an_entry_holds_each_variants_standing_and_only_its_own_ceiling():
    cards = {"s2c-conv-lite": card(3, 1650, webp=60.0), "s2c-hybrid-lite": card(3, 1650)}
    entry = history.round_entry(cards, [ceiling(1000), ceiling(1650)])
    assert entry["round"] == 3
    conv = entry["models"]["s2c-conv-lite"]
    assert (conv["total_steps"], conv["own_steps"], conv["bd_rate_psnr"]["webp"]) == (1650, 650, 60.0)
    assert conv["lr"] == 2e-4  # the round's own stage, not the trunk's
    assert (conv["batch"], conv["crop"], conv["own_px"]) == (8, 128, 650 * 8 * 128 ** 2)
    assert conv["ceiling_psnr"] == 31.0
    assert "ceiling_psnr" not in history.round_entry(cards, [ceiling(1000)])["models"]["s2c-conv-lite"]
    assert "ceiling_psnr" not in entry["models"]["s2c-hybrid-lite"]


def test_cards_of_mixed_rounds_or_without_kodak_results_are_refused():
    with pytest.raises(ValueError, match="different rounds"):
        history.round_entry({"a": card(3, 1650), "b": card(4, 2300)})
    unevaluated = card(3, 1650)
    del unevaluated["kodak"]
    with pytest.raises(ValueError, match="evaluate --cards"):
        history.round_entry({"a": card(3, 1650), "b": unevaluated})


def test_merge_replaces_a_rounds_record_and_keeps_round_order():
    old = [{"round": 4, "models": "old"}, {"round": 2, "models": "two"}]
    merged = history.merge(old, {"round": 4, "models": "new"})
    assert merged == [{"round": 2, "models": "two"}, {"round": 4, "models": "new"}]
    assert [e["round"] for e in history.merge(merged, {"round": 3, "models": {}})] == [2, 3, 4]


def test_the_committed_archive_ends_with_the_shipped_checkpoints_round():
    latest = history.read_rounds()[-1]
    for v in S2C_VARIANTS:
        shipped = read_card(v, "lite")
        kept = latest["models"][f"{v}-lite"]
        assert latest["round"] == history.round_of(shipped)
        assert kept["total_steps"] == shipped["training"]["total_steps"]
        assert kept["bd_rate_psnr"] == shipped["kodak"]["bd_rate_psnr"]


def test_bd_series_follow_each_checkpoint_over_the_rounds_it_was_measured_in():
    first = history.round_entry({"s2c-conv-lite": card(2, 1300, webp=None)})
    later = [history.round_entry({"s2c-conv-lite": card(r, 1000 + 650 * (r - 1), webp=100.0 - r)}) for r in (3, 4)]
    series = history.bd_series([first, *later], "webp")["s2c-conv-lite"]
    assert series == {"round": [3, 4], "bd_rate": [97.0, 96.0], "own_steps": [1300, 1950],
                      "own_px": [1300 * 8 * 128 ** 2, 1950 * 8 * 128 ** 2]}
    assert history.bd_series([first], "webp") == {}


def test_series_rounds_are_every_checkpoints_rounds_once_in_order_from_the_chosen_one():
    series = {"a": {"round": [5, 2, 3]}, "b": {"round": [3, 7]}}
    assert history.series_rounds(series) == [2, 3, 5, 7]
    assert history.series_rounds(series, since=4) == [5, 7]
    assert history.series_rounds({}) == []


def test_the_round_table_shows_each_rounds_peak_lr_and_a_dash_where_unrecorded():
    names = [f"{v}-lite" for v in S2C_VARIANTS]
    entries = [history.round_entry({n: card(r, 1000 + 650 * (r - 1), lr=lr) for n in names})
               for r, lr in ((3, 2e-4), (4, 1e-4))]
    for m in entries[0]["models"].values():
        del m["lr"], m["batch"]  # as archived before the archive recorded them
    rows = history.markdown(entries).splitlines()
    assert rows[0].startswith("| round | steps (own) | peak lr | batch x crop |")
    assert rows[2].startswith("| 3 | 2,300 (1,300) | — | — |")
    assert rows[3].startswith("| 4 | 2,950 (1,950) | 1e-4 | 8 x 128² |")


def test_backfill_adds_what_older_archives_lack_from_each_cards_stages():
    stages = [{"round": 1, "stage": "trunk", "steps": 1000, "recipe": {"batch": 8, "crop": 128}},
              {"round": 3, "stage": "variant", "steps": 650, "recipe": {"lr": 2e-4, "batch": 8, "crop": 128}},
              {"round": 4, "stage": "variant", "steps": 100, "recipe": {"lr": 1e-4, "batch": 16, "crop": 256}}]
    cards = {"s2c-conv-lite": {"training": {"history": stages}}}
    archived = [{"round": r, "models": {"s2c-conv-lite": {"own_steps": s, "lr": lr}}}
                for r, s, lr in ((3, 650, 2e-4), (4, 750, None))]
    kept = history.backfill(archived, cards)
    three, four = (e["models"]["s2c-conv-lite"] for e in kept)
    assert (three["own_px"], three["batch"], three["crop"]) == (650 * 8 * 128 ** 2, 8, 128)
    assert (four["own_px"], four["batch"], four["crop"], four["lr"]) == (
        650 * 8 * 128 ** 2 + 100 * 16 * 256 ** 2, 16, 256, 1e-4)
    measured = {"own_steps": 750, "own_px": 1, "lr": 3e-4, "batch": 8, "crop": 128}
    again = history.backfill([{"round": 4, "models": {"s2c-conv-lite": dict(measured)}}], cards)
    assert again[0]["models"]["s2c-conv-lite"] == measured  # what an entry recorded stays


def test_a_soup_round_names_the_rounds_it_averaged_and_adds_no_steps():
    names = [f"{v}-lite" for v in S2C_VARIANTS]
    trained = card(3, 1650)
    soup = {**trained, "training": {**trained["training"], "history": trained["training"]["history"] + [
        {"round": 4, "stage": "soup", "steps": 0, "recipe": {"soup_of": [2, 3]}}]}}
    entry = history.round_entry({n: soup for n in names})
    conv = entry["models"]["s2c-conv-lite"]
    assert (entry["round"], conv["own_steps"], conv["own_px"], conv["lr"]) == (4, 650, 650 * 8 * 128 ** 2, None)
    assert history.markdown([entry]).splitlines()[2].startswith("| 4 | 1,650 (650) | — | mean of rounds 2-3 |")


def test_a_round_that_exported_a_weight_average_says_so_in_the_round_table():
    trained = card(3, 1650)
    last = trained["training"]["history"][-1]
    averaged = {**trained, "training": {**trained["training"], "history": trained["training"]["history"][:-1] + [
        {**last, "recipe": {**last["recipe"], "ema": 0.995}}]}}
    entry = history.round_entry({f"{v}-lite": averaged for v in S2C_VARIANTS})
    assert entry["models"]["s2c-conv-lite"]["ema"] == 0.995
    assert "| 8 x 128², EMA 0.995 |" in history.markdown([entry]).splitlines()[2]
