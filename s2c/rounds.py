"""Training rounds on Kodak: where every shipped checkpoint stood after each round (results/rounds.json, written
by scripts/round_history.py from the evaluated model cards and the transform ceiling)."""
import json
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from .cards import own_pixels, own_steps, recipe_text, round_recipe, stages
from .ceiling import measured_on
from .config import S2C_VARIANTS, short_name
from .metrics import bd_rate_text

RESULTS = Path(__file__).resolve().parent.parent / "results" / "rounds.json"


def round_of(card: Dict) -> int:
    return max(s.get("round") or 1 for s in stages(card))


def round_entry(cards: Dict[str, Dict], ceilings: Sequence[Optional[Dict]] = ()) -> Dict:
    """One round's standing of every checkpoint, from its evaluated card (and a transform ceiling, where one was
    measured on the same checkpoint: same total steps)."""
    rounds = {name: round_of(card) for name, card in cards.items()}
    if len(set(rounds.values())) != 1:
        raise ValueError(f"the cards come from different rounds: {rounds}")
    missing = [name for name, card in cards.items() if not card.get("kodak")]
    if missing:
        raise ValueError(f"no Kodak results in the cards of {missing}: run evaluate --cards first")
    round_no = rounds.popitem()[1]
    models = {}
    for name, card in cards.items():
        t, k = card["training"], card["kodak"]
        m = {"total_steps": t.get("total_steps", t.get("steps")), "own_steps": own_steps(card),
             "own_px": own_pixels(card), **recipe_of(card, round_no),
             "kodak_date": k.get("date"), "bpp": k["bpp"], "psnr": k["psnr"],
             "bd_rate_psnr": k.get("bd_rate_psnr", {})}
        for c in (ceiling["models"].get(name) or {} for ceiling in ceilings if ceiling):
            if measured_on(c, card):
                m.update({key: c[key] for key in ("ceiling_psnr", "decoded_psnr", "gap_db")})
                break
        models[name] = m
    return {"round": round_no, "models": models}


def recipe_of(card: Dict, round_no: int) -> Dict:
    """What the round table and the pace need of a round's recipe: peak lr, batch and crop (and the decay of a
    weight average, where the round exported one); for a round that trained
    nothing but averaged earlier rounds' weights (scripts/soup.py), those rounds."""
    r = round_recipe(card, round_no)
    found = {"lr": r.get("lr"), "batch": r.get("batch"), "crop": r.get("crop")}
    if r.get("ema"):
        found["ema"] = r["ema"]
    return {**found, "soup_of": r["soup_of"]} if "soup_of" in r else found


def backfill(history: List[Dict], cards: Dict[str, Dict]) -> List[Dict]:
    """Adds own training pixels, batch and crop to rounds archived before they were recorded, from the current cards:
    a card's history keeps every earlier stage with its round and recipe."""
    for e in history:
        for name, m in e["models"].items():
            card = cards.get(name)
            if card and "own_px" not in m:
                m["own_px"] = own_pixels(card, e["round"])
                m.update({k: v for k, v in recipe_of(card, e["round"]).items() if m.get(k) is None})
    return history


def merge(history: List[Dict], entry: Dict) -> List[Dict]:
    """The history with ``entry`` in place of any earlier record of its round, in round order."""
    return sorted([e for e in history if e["round"] != entry["round"]] + [entry], key=lambda e: e["round"])


def read_rounds(path: Path = RESULTS) -> List[Dict]:
    return json.loads(path.read_text()) if path.exists() else []


def bd_series(history: List[Dict], rival: str) -> Dict[str, Dict[str, list]]:
    """Per checkpoint: the rounds where its BD-rate against ``rival`` was measured, and those BD-rates (%)."""
    series = {}
    for e in history:
        for name, m in e["models"].items():
            value = m["bd_rate_psnr"].get(rival)
            if value is not None:
                s = series.setdefault(name, {"round": [], "bd_rate": [], "own_steps": [], "own_px": []})
                s["round"].append(e["round"])
                s["bd_rate"].append(value)
                s["own_steps"].append(m["own_steps"])
                s["own_px"].append(m.get("own_px"))
    return series


def series_rounds(series: Dict[str, Dict[str, list]], since: int = 0) -> List[int]:
    """The rounds any checkpoint of ``bd_series`` was measured in, from ``since`` on, in order."""
    return sorted({r for s in series.values() for r in s["round"] if r >= since})


def lr_text(lrs: Sequence[Optional[float]]) -> str:
    """The round's peak learning rate(s), as in 2e-4; a dash where the archive did not record it."""
    known = sorted({f"{lr:.0e}".replace("e-0", "e-") for lr in lrs if lr is not None})
    return " / ".join(known) or "—"


def markdown(history: List[Dict]) -> str:
    """Round by round: steps, peak learning rate, batch and crop, every variant's BD-rate against WebP, the best
    one's against AVIF, conv's ceiling."""
    names = [f"{v}-lite" for v in S2C_VARIANTS]
    short = [short_name(v) for v in S2C_VARIANTS]
    lines = ["| round | steps (own) | peak lr | batch x crop | " + " | ".join(f"{s} vs WebP" for s in short)
             + " | best vs AVIF | conv q6 ceiling / decoded (dB) |", "|---" * (len(names) + 6) + "|"]
    for e in history:
        models = [e["models"][n] for n in names]
        bd = [m["bd_rate_psnr"] for m in models]
        avif = [b["avif"] for b in bd if b.get("avif") is not None]
        conv = e["models"]["s2c-conv-lite"]
        ceiling = f"{conv['ceiling_psnr']:.2f} / {conv['decoded_psnr']:.2f}" if "ceiling_psnr" in conv else "—"
        lines.append(f"| {e['round']} | {models[0]['total_steps']:,} ({models[0]['own_steps']:,}) | "
                     f"{lr_text([m.get('lr') for m in models])} | "
                     f"{recipe_text(models)} | "
                     + " | ".join(bd_rate_text(b.get("webp")) for b in bd)
                     + f" | {bd_rate_text(min(avif) if avif else None)} | {ceiling} |")
    return "\n".join(lines)
