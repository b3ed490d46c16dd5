"""Writes README's measured results from the files that hold them: the Kodak table (results/kodak.json), the
round-by-round table (results/rounds.json), the pace tables (s2c/pace.py, from rounds.json), the paragraph on where
the checkpoints stand against every codec, the sentences that name the latest round and its date and the lists of
rounds that averaged earlier ones (soups). The prose around them (what the rounds showed, learning curves) stays
hand-written.

Usage: .venv/bin/python scripts/readme_results.py          (prints what differs)
       .venv/bin/python scripts/readme_results.py --write  (rewrites README.md)
"""
import argparse
import difflib
import json
import re
import sys
import textwrap
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from s2c.baselines import codec_label  # noqa: E402
from s2c.cards import round_runs  # noqa: E402
from s2c.config import S2C_VARIANTS, short_name  # noqa: E402
from s2c.metrics import bd_rate_text  # noqa: E402
from s2c.pace import header as pace_header  # noqa: E402
from s2c.pace import markdown as pace_table  # noqa: E402
from s2c.pace import RIVALS as PACE_RIVALS  # noqa: E402
from s2c.pace import paces  # noqa: E402
from s2c.rounds import markdown as round_table  # noqa: E402
from s2c.rounds import read_rounds  # noqa: E402

README = ROOT / "README.md"
KODAK = ROOT / "results" / "kodak.json"
RIVALS = ["jpeg", "jpeg2000", "webp", "avif", "jpegxl", "bpg", "vtm"]
KODAK_HEADER = "| model | PSNR range (dB @ bpp) |"
ROUND_HEADER = "| round | steps (own) |"
STANDING = re.compile(r"Standing after round \d+ .*?(?=\n\n)", re.DOTALL)
WIDTH = 116


def kodak_table(results: Dict) -> str:
    """Every shipped checkpoint's Kodak curve ends and its BD-rate against every other codec."""
    learned = [f"{v}-lite" for v in S2C_VARIANTS]
    columns = RIVALS + learned
    short = RIVALS + [short_name(v) for v in S2C_VARIANTS]
    lines = [KODAK_HEADER + " " + " | ".join(short) + " |", "|---" * (len(columns) + 2) + "|"]
    for name in learned:
        c, row = results["codecs"][name], results["bd_rate"][name]
        span = f"{c['psnr'][0]:.2f} @ {c['bpp'][0]:.3f} ... {c['psnr'][-1]:.2f} @ {c['bpp'][-1]:.3f}"
        cells = ["—" if other == name else bd_rate_text(row.get(other)) for other in columns]
        lines.append(f"| {name} | {span} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def replace_table(text: str, header: str, table: str) -> str:
    """``text`` with the markdown table that starts with ``header`` replaced by ``table``."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.startswith(header)), None)
    if start is None:
        raise SystemExit(f"README.md has no table starting with {header!r}")
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return "\n".join(lines[:start] + table.split("\n") + lines[end:])


def latest_round(history: List[Dict]) -> Tuple[int, int, int]:
    """(round, total steps, own steps) of the latest round, whose checkpoints must agree on both."""
    last = history[-1]
    steps = {(m["total_steps"], m["own_steps"]) for m in last["models"].values()}
    if len(steps) != 1:
        raise SystemExit(f"round {last['round']}'s checkpoints differ in steps: {sorted(steps)}")
    total, own = steps.pop()
    return last["round"], total, own


def soups(history: List[Dict]) -> Dict[int, List[int]]:
    """Round -> the rounds it averaged, for the rounds that trained nothing (scripts/soup.py)."""
    found = {}
    for r in history:
        inputs = {tuple(m["soup_of"]) for m in r["models"].values() if m.get("soup_of")}
        if len(inputs) > 1:
            raise SystemExit(f"round {r['round']}'s checkpoints are soups of different rounds: {sorted(inputs)}")
        if inputs:
            found[r["round"]] = list(inputs.pop())
    return found


_ROUND_LIST = r"\d+(?:(?:, | and )\d+)*"
_SPAN_LIST = r"\d+(?:-\d+)?(?:(?:, | and )\d+(?:-\d+)?)*"


def latest_round_phrases(results: Dict, history: List[Dict]) -> List[tuple]:
    """(pattern, replacement) pairs for the sentences that name the latest round, the date it was measured and the
    rounds that averaged earlier ones."""
    n, total, own = latest_round(history)
    phrases = [(r"(\*\*Kodak R-D\*\* \(`results/kodak.json`, )\d{4}-\d{2}-\d{2}", rf"\g<1>{results['date']}"),
                (r"After round \d+ \([\d,]+ steps per checkpoint, [\d,]+ of them the variant's own\)",
                 f"After round {n} ({total:,} steps per checkpoint, {own:,} of them the variant's own)"),
                (r"Round-\d+ checkpoints, cards and logs", f"Round-{n} checkpoints, cards and logs"),
                (r"Rounds 3 to \d+ each gave", f"Rounds 3 to {n} each gave"),
                (r"\(`OWN_INIT=checkpoints`, the rounds of 3-\d+ that trained\)",
                 f"(`OWN_INIT=checkpoints`, the rounds of 3-{n} that trained)")]
    soup_rounds = soups(history)
    if not soup_rounds:
        return phrases
    rounds = _names([str(r) for r in soup_rounds])
    inputs = "; then ".join(_names(round_runs(sorted(of), min_range=3)) for of in soup_rounds.values())
    return phrases + [(rf"Rounds {_ROUND_LIST} trained nothing", f"Rounds {rounds} trained nothing"),
                      (rf"earlier rounds \({_SPAN_LIST}(?:; then {_SPAN_LIST})*\)", f"earlier rounds ({inputs})"),
                      (rf"or \(rounds {_ROUND_LIST}\) averaged", f"or (rounds {rounds}) averaged")]


def _model_label(model: str) -> str:
    return short_name(model.removesuffix("-lite")).capitalize()


def _names(items: List[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def standing(results: Dict, history: List[Dict]) -> str:
    """Which checkpoints need fewer bits than which codec, and each variant against Identity (README's paragraph)."""
    n, _, own = latest_round(history)
    learned = [f"{v}-lite" for v in S2C_VARIANTS]
    groups: Dict[tuple, Tuple[tuple, List[str]]] = {}
    for rival in RIVALS:
        winners = tuple(m for m in learned if (results["bd_rate"][m].get(rival) or 0.0) < 0)  # None: n/a
        everyone_or_none = len(winners) in (0, len(learned))  # only these share a clause: the others give numbers
        groups.setdefault(winners if everyone_or_none else (rival,), (winners, []))[1].append(rival)
    parts = []
    for winners, rivals in groups.values():
        if len(winners) == len(learned):
            who = "all four"
        elif not winners:
            who = "none"
        else:
            who = _names([f"{_model_label(m)} ({bd_rate_text(results['bd_rate'][m][rivals[0]])})"
                          for m in winners])
        parts.append(f"than {_names([codec_label(r) for r in rivals])}: {who}")
    identity = learned[0]
    versus = ", ".join(f"{_model_label(m)} {bd_rate_text(results['bd_rate'][m][identity])}"
                       for m in learned[1:])
    text = (f"Standing after round {n} ({own:,} own steps a checkpoint; BD-rates of the table above). Fewer bits "
            + "; ".join(parts) + f". Against Identity at equal PSNR: {versus}.")
    return textwrap.fill(text, WIDTH, break_on_hyphens=False)


def sub_keeping_line_breaks(pattern: str, replacement: str, text: str) -> Tuple[str, int]:
    """re.subn where a space of the pattern also matches a line break of the wrapped README, and the replacement
    keeps the breaks where the old phrase had them."""
    def keep_breaks(match: re.Match) -> str:
        new = match.expand(replacement)
        breaks = re.findall(r"\s+", match.group(0))
        words = new.split(" ")
        gaps = (breaks + [" "] * len(words))[:len(words) - 1] + [""]  # a longer phrase runs on where it ended
        return "".join(word + gap for word, gap in zip(words, gaps))
    return re.subn(pattern.replace(" ", r"\s+"), keep_breaks, text)


def updated_readme(text: str, results: Dict, history: List[Dict]) -> str:
    text = replace_table(text, KODAK_HEADER, kodak_table(results))
    text = replace_table(text, ROUND_HEADER, round_table(history))
    for rival in PACE_RIVALS:
        text = replace_table(text, pace_header(rival), pace_table(paces(history, rival), rival))
    text, count = STANDING.subn(lambda _: standing(results, history), text)
    if count == 0:
        raise SystemExit("README.md has no paragraph starting with 'Standing after round'")
    for pattern, replacement in latest_round_phrases(results, history):
        text, count = sub_keeping_line_breaks(pattern, replacement, text)
        if count == 0:
            raise SystemExit(f"README.md has no sentence matching {pattern!r}")
    return text


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--write", action="store_true", help="rewrite README.md (default: print what differs)")
    args = p.parse_args()
    old = README.read_text()
    new = updated_readme(old, json.loads(KODAK.read_text()), read_rounds())
    if args.write:
        README.write_text(new)
    else:
        sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True), "README.md", "new"))


if __name__ == "__main__":
    main()
