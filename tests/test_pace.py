"""s2c/pace.py: the pace at which rounds close a BD-rate gap, and both extrapolations, on known series."""
import math

import pytest

from s2c import cards, pace


def series(rounds, own_steps, bd_rates, px_per_step=pace.STEP_PX):
    return {"round": list(rounds), "own_steps": list(own_steps), "bd_rate": list(bd_rates),
            "own_px": [s * px_per_step for s in own_steps]}


def geometric(shrink_per_1k, start=60.0, rounds=range(3, 13), step=650):
    """BD-rates whose bits ratio loses ``shrink_per_1k`` of itself per 1,000 own steps."""
    own = [300 + step * (r - 2) for r in rounds]
    ratio = lambda s: (1 + start / 100) * (1 - shrink_per_1k) ** ((s - own[0]) / 1000)  # noqa: E731
    return series(rounds, own, [100 * (ratio(s) - 1) for s in own])


def test_a_steady_pace_is_recovered_and_reaches_parity_where_the_line_does():
    p = pace.pace_of("s2c-conv-lite", geometric(0.05))
    assert p.recent == tuple(range(8, 13)) and p.earlier == tuple(range(3, 8))
    assert p.shrink_per_1k == pytest.approx(5.0) and p.earlier_shrink_per_1k == pytest.approx(5.0)
    expected = 1000 * math.log1p(p.bd_rate / 100) / -math.log(0.95)
    assert p.steps_to_parity == round(expected)
    assert p.settles_at is None  # a pace that does not shrink does not level off


def test_a_shrinking_pace_settles_between_now_and_parity():
    s = geometric(0.08, rounds=range(3, 8))
    tail = geometric(0.04, start=s["bd_rate"][-1], rounds=range(8, 13))
    shift = s["own_steps"][-1] - tail["own_steps"][0] + 650
    s = series(s["round"] + tail["round"], s["own_steps"] + [x + shift for x in tail["own_steps"]],
               s["bd_rate"] + tail["bd_rate"])
    p = pace.pace_of("s2c-hybrid-lite", s)
    assert p.earlier_shrink_per_1k > p.shrink_per_1k
    assert 0 < p.settles_at < p.bd_rate
    assert f"levels off at {p.settles_at:+.1f}%" in pace.sentence(p, "webp")


def test_a_pace_that_drops_within_its_noise_does_not_settle():
    s = geometric(0.05)
    # the earlier window 5.0% a 1,000 steps, the recent one a hair slower, both with round-to-round noise
    noisy = [b + (0.8 if i % 2 else -0.8) for i, b in enumerate(s["bd_rate"])]
    noisy[-1] += 0.2
    p = pace.pace_of("s2c-hybrid-lite", series(s["round"], s["own_steps"], noisy))
    assert 0 < p.earlier_shrink_per_1k - p.shrink_per_1k < 1.0
    assert p.settles_at is None and "levels off" not in pace.sentence(p, "webp")


def test_the_trunk_rounds_are_left_out_and_short_series_have_no_pace():
    s = geometric(0.05, rounds=range(3, 8))
    with_trunk = series([1, 2] + s["round"], [400, 300] + s["own_steps"], [300.0, 200.0] + s["bd_rate"])
    p = pace.pace_of("s2c-conv-lite", with_trunk)
    assert p.recent == tuple(range(3, 8)) and p.earlier is None and p.settles_at is None
    assert pace.pace_of("s2c-conv-lite", series([1, 2, 3], [400, 300, 950], [300.0, 200.0, 150.0])) is None


def test_worsening_or_already_won_series():
    worse = pace.pace_of("a", series(range(3, 8), range(950, 4200, 650), [40, 42, 44, 46, 48]))
    assert worse.steps_to_parity is None and worse.shrink_per_1k < 0
    won = pace.pace_of("b", series(range(3, 8), range(950, 4200, 650), [10, 5, 0, -5, -10]))
    assert won.steps_to_parity == 0


def test_the_table_has_a_row_per_checkpoint_and_names_its_windows():
    found = [pace.pace_of(f"s2c-{v}-lite", geometric(0.05)) for v in ("identity", "conv")]
    rows = pace.markdown(found, "webp").splitlines()
    assert rows[0].startswith(pace.header("webp")) and "rounds 3-7 | rounds 8-12" in rows[0]
    assert len(rows) == 4 and rows[2].startswith(f"| identity | {found[0].bd_rate:+.1f}% (6,800) |")
    assert rows[3].startswith("| conv | ") and "| 5.0% | 5.0% |" in rows[3]
    assert pace.markdown([], "avif").startswith(pace.header("avif"))


def test_the_sentence_names_the_pace_and_what_each_extrapolation_gives():
    steady = pace.pace_of("s2c-conv-lite", geometric(0.05))
    text = pace.sentence(steady, "webp")
    assert "5.0% of the bits ratio to WebP" in text
    assert f"after ~{round(steady.steps_to_parity, -2):,} more own steps" in text
    assert "levels off" not in text
    won = pace.pace_of("b", series(range(3, 8), range(950, 4200, 650), [10, 5, 0, -5, -10]))
    assert "already needs no more bits than AVIF" in pace.sentence(won, "avif")
    worse = pace.pace_of("a", series(range(3, 8), range(950, 4200, 650), [40, 42, 44, 46, 48]))
    assert "does not reach WebP" in pace.sentence(worse, "webp")


def test_steps_are_counted_by_their_pixels():
    s = geometric(0.05)
    big = pace.pace_of("a", series(s["round"], s["own_steps"], s["bd_rate"], px_per_step=8 * pace.STEP_PX))
    assert big.own_steps == 8 * s["own_steps"][-1]
    assert big.shrink_per_1k == pytest.approx(100 * (1 - 0.95 ** (1 / 8)))


def test_a_round_that_trained_nothing_moves_the_standing_not_the_pace():
    s = geometric(0.05)
    soup = series(s["round"] + [13], s["own_steps"] + s["own_steps"][-1:], s["bd_rate"] + [s["bd_rate"][-1] - 3.0])
    trained, souped = pace.pace_of("s2c-conv-lite", s), pace.pace_of("s2c-conv-lite", soup)
    assert souped.recent == trained.recent == tuple(range(8, 13))
    assert souped.shrink_per_1k == pytest.approx(trained.shrink_per_1k)
    assert souped.bd_rate == s["bd_rate"][-1] - 3.0
    assert souped.steps_to_parity < trained.steps_to_parity  # the same pace, from a better standing


def test_windows_name_the_rounds_they_fit_not_the_soups_between_them():
    s = geometric(0.05, rounds=range(3, 8))
    soup_in_between = series(s["round"][:3] + [6] + [r + 1 for r in s["round"][3:]],
                             s["own_steps"][:3] + s["own_steps"][2:3] + s["own_steps"][3:],
                             s["bd_rate"][:3] + [s["bd_rate"][2] - 1.0] + s["bd_rate"][3:])
    p = pace.pace_of("s2c-conv-lite", soup_in_between)
    assert p.recent == (3, 4, 5, 7, 8)
    assert pace.sentence(p, "webp").startswith("Rounds 3-5, 7-8 removed")
    assert cards.rounds_text((24, 25, 26, 27, 29, 31)) == "rounds 24-27, 29, 31"
