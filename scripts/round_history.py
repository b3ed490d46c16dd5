"""Archives where every shipped checkpoint stood after each training round (Kodak curve, BD-rates, transform
ceiling) into results/rounds.json (s2c/rounds.py): results/kodak.json and ceiling.json only hold the latest round,
and the per-round series README and the app show must come from files. Prints the series as a markdown table, and
the pace at which the rounds close the gap to WebP and AVIF (s2c/pace.py).

Usage: .venv/bin/python scripts/round_history.py            (after evaluate --cards and transform_ceiling.py)
       .venv/bin/python scripts/round_history.py --from-git (adds every round already committed, from git history)
"""
import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from s2c.config import S2C_VARIANTS  # noqa: E402
from s2c.pace import markdown as pace_table  # noqa: E402
from s2c.pace import RIVALS as PACE_RIVALS  # noqa: E402
from s2c.pace import paces  # noqa: E402
from s2c.rounds import RESULTS, backfill, markdown, merge, read_rounds, round_entry  # noqa: E402

CARDS = [f"checkpoints/{v}-lite.json" for v in S2C_VARIANTS]
# the latest ceiling, and round 3's (kept apart when round 4 re-measured it)
CEILINGS = ("results/ceiling.json", "results/ceiling_round3.json")


def read_json(path: str, commit: str = None):
    if commit is None:
        p = ROOT / path
        return json.loads(p.read_text()) if p.exists() else None
    shown = subprocess.run(["git", "show", f"{commit}:{path}"], cwd=ROOT, capture_output=True, text=True)
    return json.loads(shown.stdout) if shown.returncode == 0 else None


def entry_at(commit: str = None):
    """The round entry of the working tree (or of a commit); None where its cards hold no Kodak results yet."""
    cards = {Path(p).stem: read_json(p, commit) for p in CARDS}
    if any(card is None or not card.get("kodak") for card in cards.values()):
        return None
    # a ceiling file added after the round's commit (round 3's) still belongs to it where its steps match
    ceilings = [read_json(p, c) for c in dict.fromkeys([commit, None]) for p in CEILINGS]
    return round_entry(cards, ceilings)


def committed_entries() -> list:
    """Every evaluated round in git history, each from the last commit that holds it."""
    log = subprocess.run(["git", "log", "--reverse", "--format=%H", "--", *CARDS], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    entries = {}
    for commit in log.stdout.split():
        entry = entry_at(commit)
        if entry:
            entries[entry["round"]] = {**entry, "commit": commit[:12]}
    return list(entries.values())


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--from-git", action="store_true", help="add every round already committed, from git history")
    args = p.parse_args()
    history = read_rounds()
    new = committed_entries() if args.from_git else [entry_at()]
    if new == [None]:
        sys.exit("the checkpoints' cards hold no Kodak results: run python -m s2c evaluate --cards first")
    for entry in new:
        history = merge(history, entry)
    backfill(history, {Path(p).stem: read_json(p) for p in CARDS})
    RESULTS.write_text(json.dumps(history, indent=1) + "\n")
    print(markdown(history))
    for rival in PACE_RIVALS:
        print("\n" + pace_table(paces(history, rival), rival))


if __name__ == "__main__":
    main()
