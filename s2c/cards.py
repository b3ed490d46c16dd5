"""Reading model cards for people: how far each checkpoint is trained, stage by stage, and where it stands."""
from typing import Dict, List, Optional, Sequence

from .metrics import bd_rate_text
from .zoo import has_pretrained, read_card

RIVALS = ("jpeg", "webp", "avif")
STAGE_KEYS = ("steps", "wall_s", "hardware", "recipe", "init_from", "data")


def stage_entry(training: Dict, round_no: int, stage: str, variant: Optional[str]) -> Dict:
    """One training stage as a card's ``training.history`` keeps it."""
    return {"round": round_no, "stage": stage, "variant": variant, **{k: training.get(k) for k in STAGE_KEYS}}


def stages(card: Dict) -> List[Dict]:
    """The training stages of a checkpoint's lineage (older cards without a history: trunk, then own stage)."""
    t = card.get("training", {})
    if "history" in t:
        return t["history"]
    if "trunk" in t:
        trunk = {**t["trunk"], "data": t.get("data")}
        return [stage_entry(trunk, 1, "trunk", trunk.get("variant")),
                stage_entry(t, 1, "variant", card.get("variant"))]
    return [stage_entry(t, 1, "variant", card.get("variant"))] if t else []


def round_recipe(card: Dict, round_no: int, stage: Optional[str] = None) -> Dict:
    """The recipe of the checkpoint's last training stage in round ``round_no`` (of that ``stage``, where one is
    named; empty where none is recorded)."""
    recipes = [s.get("recipe") or {} for s in stages(card)
               if s.get("round") == round_no and stage in (None, s.get("stage"))]
    return recipes[-1] if recipes else {}


def round_runs(rounds, min_range: int = 2) -> List[str]:
    """Ascending round numbers with runs of ``min_range`` or more as a range, e.g. (24, 25, 26, 27, 29) ->
    ["24-27", "29"]; shorter runs stay single numbers."""
    runs: List[List[int]] = []
    for r in rounds:
        if runs and r == runs[-1][-1] + 1:
            runs[-1].append(r)
        else:
            runs.append([r])
    return [text for run in runs
            for text in ([f"{run[0]}-{run[-1]}"] if len(run) >= min_range else [str(r) for r in run])]


def rounds_text(rounds) -> str:
    """Round numbers as runs, e.g. (24, 25, 26, 27, 29) -> "rounds 24-27, 29"."""
    return "rounds " + ", ".join(round_runs(rounds))


def recipe_text(recipes: Sequence[Dict]) -> str:
    """The batch and crop of recipes (or round entries) as in 8 x 128² (and the decay of a weight average: 2 x 256²,
    EMA 0.995), several where they differ; the rounds a soup
    averaged (scripts/soup.py) for one that trained nothing; a dash where none was recorded."""
    soups = sorted({tuple(r["soup_of"]) for r in recipes if r.get("soup_of")})
    if soups:
        return " / ".join("mean of " + rounds_text(s) for s in soups)
    known = sorted({f"{r['batch']} x {r['crop']}²" + (f", EMA {r['ema']:g}" if r.get("ema") else "")
                    for r in recipes if r.get("batch") and r.get("crop")})
    return " / ".join(known) or "—"


def lineage_totals(history: List[Dict]) -> Dict:
    """A card's totals over its whole lineage: steps and wall seconds of every stage."""
    return {"total_steps": sum(h["steps"] for h in history),
            "total_wall_s": round(sum(h["wall_s"] for h in history), 1)}


def stage_rows(card: Dict) -> List[Dict]:
    rows = []
    for s in stages(card):
        r = s.get("recipe") or {}
        rows.append({"round": s.get("round"), "stage": s.get("stage"), "trained as": s.get("variant"),
                     "steps": s.get("steps"), "hours": round((s.get("wall_s") or 0) / 3600, 2),
                     "hardware": s.get("hardware"), "batch x crop": recipe_text([r]),
                     "lr": r.get("lr"), "gain lr x": r.get("gain_lr_scale", 1.0), "seed": r.get("seed")})
    return rows


def own_stages(card: Dict, up_to_round: Optional[int] = None) -> List[Dict]:
    """The stages trained with the variant's own operators (since the last shared trunk stage), up to a round."""
    found = []
    for s in reversed([s for s in stages(card) if up_to_round is None or (s.get("round") or 1) <= up_to_round]):
        if s.get("stage") == "trunk":
            break
        found.append(s)
    return found[::-1]


def own_steps(card: Dict) -> int:
    """Steps trained with the variant's own operators."""
    return sum(s.get("steps") or 0 for s in own_stages(card))


def stage_pixels(stage: Dict) -> int:
    """Training pixels a stage saw: steps x batch x crop^2 (steps of different recipes differ in size)."""
    r = stage.get("recipe") or {}
    return (stage.get("steps") or 0) * (r.get("batch") or 0) * (r.get("crop") or 0) ** 2


def own_pixels(card: Dict, up_to_round: Optional[int] = None) -> int:
    return sum(stage_pixels(s) for s in own_stages(card, up_to_round))


def kodak_range(card: Dict) -> Optional[str]:
    k = card.get("kodak")
    if not k:
        return None
    return f"{k['psnr'][0]:.1f} dB @ {k['bpp'][0]:.2f} bpp ... {k['psnr'][-1]:.1f} dB @ {k['bpp'][-1]:.2f} bpp"


def training_summary(variants: List[str], preset: str = "lite") -> List[Dict]:
    """One row per shipped checkpoint: steps, CPU/GPU hours, Kodak range and BD-rate against classical codecs."""
    rows = []
    for v in variants:
        if not has_pretrained(v, preset):
            continue
        card = read_card(v, preset)
        history = stages(card)
        bd = (card.get("kodak") or {}).get("bd_rate_psnr", {})
        row = {"model": f"{v}-{preset}", "steps": sum(s.get("steps", 0) for s in history),
               "own steps": own_steps(card), "hours": round(sum(s.get("wall_s") or 0 for s in history) / 3600, 1),
               "Kodak (24 images)": kodak_range(card) or "not evaluated"}
        for rival in RIVALS:
            row[f"BD-rate vs {rival.upper()}"] = bd_rate_text(bd.get(rival))
        rows.append(row)
    return rows
