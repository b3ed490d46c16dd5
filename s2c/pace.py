"""How fast the training rounds close each checkpoint's gap to a rival codec, and where that pace leads
(from results/rounds.json).

A BD-rate is a ratio of bits at equal PSNR, so the pace is a least-squares line through log(1 + BD/100) over own
training: the share of the bits ratio that 1,000 more steps remove. Rounds differ in the size of a step (the CPU
recipe: 8 crops of 128x128; a GPU round: 16 of 256x256, 8 times the pixels), so own training is counted in steps of
the CPU recipe's size: own training pixels / (8 x 128²). Two extrapolations bracket what more of the same
training buys: the recent pace held (parity after log(1 + BD/100) / pace more steps), and the pace shrinking on as
it shrank from the earlier window of rounds to the recent one (exponentially in steps), which sums to a finite
further gain: the level where the curve settles (only where the drop in pace exceeds twice its standard error).
Both extrapolate the archive; neither is a measurement.
"""
import math
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import numpy as np
from scipy.stats import linregress

from .baselines import codec_label
from .cards import rounds_text
from .config import short_name
from .metrics import bd_rate_text
from .rounds import bd_series

# rounds 1-2 trained a shared trunk and restarted the variants from it: own training adds up from round 3 on
FIRST_OWN_ROUND = 3
RIVALS = ("webp", "avif")  # the targets
STEP_BATCH, STEP_CROP = 8, 128  # one step of the CPU recipe: the unit own training is counted in
STEP_PX = STEP_BATCH * STEP_CROP ** 2
UNIT = f"steps of {STEP_BATCH} x {STEP_CROP}²"


@dataclass
class Pace:
    name: str
    bd_rate: float                     # the latest measured BD-rate against the rival (%)
    own_steps: int                     # own training, in steps of STEP_PX pixels
    recent: Tuple[int, ...]            # the rounds of the recent window (soup rounds are in no window)
    shrink_per_1k: float               # % of the bits ratio removed per 1,000 such steps, recent window
    earlier: Optional[Tuple[int, ...]]
    earlier_shrink_per_1k: Optional[float]
    steps_to_parity: Optional[int]     # more own steps at the recent pace; None where it does not close the gap
    settles_at: Optional[float]        # BD-rate (%) where a pace shrinking as it did levels off; else None


def _pace_per_1k(steps: List[float], log_ratio: List[float]) -> Tuple[float, float]:
    """How much log ratio 1,000 steps remove (minus the least-squares slope) and the slope's standard error (0 where
    the points lie on the line)."""
    fit = linregress(np.asarray(steps) / 1000.0, log_ratio)
    return -float(fit.slope), float(fit.stderr)


def _settles_at(log_now: float, now: int, recent: Tuple[float, float],
                earlier: Tuple[float, float]) -> Optional[float]:
    """BD-rate (%) after infinitely many more steps, the pace (per 1k, at window centre c) decaying as from
    ``earlier`` = (pace, c) to ``recent`` = (pace, c); None unless the pace is positive and shrinking."""
    (p1, c1), (p0, c0) = recent, earlier
    if not 0 < p1 < p0 or math.isclose(p1, p0, rel_tol=1e-9) or c1 <= c0:
        return None
    k = math.log(p0 / p1) / ((c1 - c0) / 1000.0)
    pace_now = p1 * math.exp(-k * (now - c1) / 1000.0)
    return 100.0 * math.expm1(log_now - pace_now / k)


def pace_of(name: str, series: Dict[str, list], window: int = 5) -> Optional[Pace]:
    """The pace of one checkpoint's BD-rate series (bd_series) over its last ``window`` rounds from round 3 on, and
    over the ``window`` before them, rounds that trained nothing left out; None with fewer than 3 rounds to fit."""
    rows = [(r, px / STEP_PX, math.log1p(b / 100.0))
            for r, b, px in zip(series["round"], series["bd_rate"], series["own_px"]) if r >= FIRST_OWN_ROUND]
    # a round that trained nothing (a weight soup) moved the standing, not the pace of training: it is where the
    # checkpoint stands now, but no point of the fit
    trained = [row for i, row in enumerate(rows) if i == 0 or row[1] > rows[i - 1][1]]
    if len(trained) < 3:
        return None
    recent, earlier = trained[-window:], trained[-2 * window:-window]
    if len(earlier) < 3:
        earlier = []
    fit = lambda part: _pace_per_1k([s for _, s, _ in part], [y for _, _, y in part])  # noqa: E731
    centre = lambda part: float(np.mean([s for _, s, _ in part]))  # noqa: E731
    pace, error = fit(recent)
    earlier_pace, earlier_error = fit(earlier) if earlier else (None, None)
    # a pace only counts as shrinking where the drop exceeds twice its standard error: two windows within noise
    # of each other decay so slowly that the level they sum to runs off to anything
    shrinking = bool(earlier) and earlier_pace - pace > 2 * math.hypot(error, earlier_error)
    _, now, log_now = rows[-1]
    return Pace(name=name, bd_rate=series["bd_rate"][-1], own_steps=round(now), recent=_rounds(recent),
                shrink_per_1k=-100.0 * math.expm1(-pace),
                earlier=_rounds(earlier) if earlier else None,
                earlier_shrink_per_1k=-100.0 * math.expm1(-earlier_pace) if earlier else None,
                steps_to_parity=(max(0, round(1000.0 * log_now / pace)) if pace > 0 else None),
                settles_at=(_settles_at(log_now, now, (pace, centre(recent)), (earlier_pace, centre(earlier)))
                            if shrinking else None))


def paces(history: List[Dict], rival: str, window: int = 5) -> List[Pace]:
    found = (pace_of(name, s, window) for name, s in bd_series(history, rival).items())
    return [p for p in found if p is not None]


def sentence(p: Pace, rival: str) -> str:
    """One checkpoint's pace and both extrapolations, for people."""
    label = codec_label(rival)
    text = (f"{rounds_text(p.recent).capitalize()} removed {_pct(p.shrink_per_1k)} of the bits ratio to {label} "
            f"per 1,000 own {UNIT} (a GPU step of 16 x 256² counts 8)")
    if p.earlier:
        text += f" ({rounds_text(p.earlier)}: {_pct(p.earlier_shrink_per_1k)})"
    if p.bd_rate <= 0:
        return text + f"; the checkpoint already needs no more bits than {label}."
    if p.steps_to_parity is None:
        text += f"; at that pace it does not reach {label}"
    else:
        steps = round(p.steps_to_parity, -2)
        text += f"; held, that pace reaches parity with {label} after ~{steps:,} more own steps"
    if p.settles_at is not None:
        text += f"; shrinking on as it did, it levels off at {bd_rate_text(p.settles_at)}"
    return text + ". Both are extrapolations of the rounds so far, not measurements."


def header(rival: str) -> str:
    """The start of the pace table's header row (README's tables are found by it)."""
    return f"| model | vs {codec_label(rival)} now (own {UNIT}) |"


def markdown(found: List[Pace], rival: str) -> str:
    """One row per checkpoint: where it stands, the pace of the earlier and recent windows, both extrapolations."""
    windows = [w for w in (found[0].earlier, found[0].recent) if w] if found else []
    earlier, recent = ([rounds_text(w) for w in windows] if len(windows) == 2
                       else ["earlier rounds", "recent rounds"])
    lines = [f"{header(rival)} bits ratio removed per 1,000 such steps, {earlier} | {recent} "
             f"| more own steps to parity at the recent pace | settles at, if the pace keeps shrinking as it did |",
             "|---" * 6 + "|"]
    for p in found:
        lines.append(f"| {short_name(p.name.removesuffix('-lite'))} | {bd_rate_text(p.bd_rate)} ({p.own_steps:,}) "
                     f"| {_pct(p.earlier_shrink_per_1k)} | {_pct(p.shrink_per_1k)} "
                     f"| {'—' if p.steps_to_parity is None else f'{p.steps_to_parity:,}'} "
                     f"| {bd_rate_text(p.settles_at) if p.settles_at is not None else '—'} |")
    return "\n".join(lines)


def _rounds(rows) -> Tuple[int, ...]:
    return tuple(r for r, _, _ in rows)


def _pct(value: Optional[float]) -> str:
    return "—" if value is None else f"{value:.1f}%"
