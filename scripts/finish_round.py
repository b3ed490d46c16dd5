"""Ships a training round: copies its checkpoints into checkpoints/, with model cards and logs that carry the
whole lineage of every checkpoint (each round's trunk and variant stages), not only its last stage.

Two kinds of round:
- with a trunk ($RUN/trunk, continued from the shipped Identity checkpoint): every variant's lineage is the
  Identity lineage so far, the new trunk stage, then its own variant stage of this round;
- without one (train_lite.sh with OWN_INIT=checkpoints): every variant continued from its own shipped checkpoint,
  so its lineage is its own shipped lineage plus this round's variant stage.

Usage: .venv/bin/python scripts/finish_round.py runs/r2 2   (after scripts/train_lite.sh with RUNS=runs/r2)
Then: .venv/bin/python -m s2c evaluate --update --classical --cards, scripts/transform_ceiling.py and
scripts/round_history.py (archives the round's standing in results/rounds.json)
"""
import csv
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from s2c.cards import lineage_totals, own_steps, stage_entry, stages  # noqa: E402
from s2c.config import S2C_VARIANTS  # noqa: E402

CKPT, LOGS = ROOT / "checkpoints", ROOT / "checkpoints" / "logs"


def read_log(path: Path, round_no: int, stage: str, offset: int) -> list:
    with path.open(newline="") as f:
        return [{**r, "step": int(r["step"]) + offset, "stage": r.get("stage", stage),
                 "round": r.get("round", round_no)} for r in csv.DictReader(f)]


def stage_log(path: Path, round_no: int, stage: str, offset: int, steps: int) -> list:
    """One stage's log rows, as the exported checkpoint saw them. A stage stopped between two saves resumes from
    its last save and logs those steps again: the rows of the stopped run from there on are dropped, and so are
    rows past the exported step (a stage stopped after its export)."""
    rows = []
    for r in read_log(path, round_no, stage, offset):
        resumed = rows and (r["step"] < rows[-1]["step"] or
                            any(x["step"] == r["step"] and x["level"] == r["level"] for x in rows))
        if resumed:
            rows = [x for x in rows if x["step"] < r["step"]]
        rows.append(r)
    return [r for r in rows if r["step"] <= offset + steps]


def write_log(path: Path, rows: list) -> None:
    fields = ["round", "stage", "step", "level", "n", "loss", "bpp", "mse", "psnr", "lr", "wall_s"]
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def shipped_card(name: str) -> dict:
    return json.loads((CKPT / f"{name}.json").read_text())


def trunk_lineage(run_dir: Path, round_no: int):
    """The Identity lineage so far plus this round's trunk stage, with its log rows."""
    lineage = stages(shipped_card("s2c-identity-lite"))
    trunk_card = json.loads((run_dir / "trunk" / "s2c-identity-lite.json").read_text())
    trunk = stage_entry(trunk_card["training"], round_no, "trunk", "s2c-identity")
    trunk["init_from"] = "the shipped s2c-identity-lite checkpoint of the previous round"
    log = read_log(LOGS / "s2c-identity-lite.csv", round_no - 1, "trunk", 0)
    offset = sum(h["steps"] for h in lineage)
    log += stage_log(run_dir / "trunk" / "log.csv", round_no, "trunk", offset, trunk["steps"])
    return lineage + [trunk], log


def own_lineage(name: str):
    """A variant that continued from its own shipped checkpoint: its shipped lineage and log."""
    return stages(shipped_card(name)), read_log(LOGS / f"{name}.csv", 0, "variant", 0)


def shipped_rounds() -> set:
    """The rounds the shipped cards already record: finishing one of them again would count its steps twice."""
    return {h["round"] for v in S2C_VARIANTS for h in stages(shipped_card(f"{v}-lite"))}


def main(run_dir: Path, round_no: int) -> None:
    if round_no in shipped_rounds():
        sys.exit(f"round {round_no} is already shipped in {CKPT}: restore the previous round's checkpoints and logs "
                 "(git checkout checkpoints/) before finishing it again")
    with_trunk = (run_dir / "trunk").is_dir()
    if with_trunk:
        shared = trunk_lineage(run_dir, round_no)
    for v in S2C_VARIANTS:
        name = f"{v}-lite"
        lineage, log = shared if with_trunk else own_lineage(name)
        card = json.loads((run_dir / "export" / f"{name}.json").read_text())
        own = stage_entry(card["training"], round_no, "variant", v)
        if not with_trunk:
            own["init_from"] = f"the shipped {name} checkpoint of the previous round"
        history = lineage + [own]
        own_total = own_steps({"training": {"history": history}})
        card["training"] = {**card["training"], "history": history, **lineage_totals(history),
                            "note": "the shared S2C-Identity trunk (function-preserving warm start), then "
                                    f"{own_total} steps with the variant's own operators; the same recipe "
                                    "for all four variants"}
        shutil.copyfile(run_dir / "export" / f"{name}.safetensors", CKPT / f"{name}.safetensors")
        (CKPT / f"{name}.json").write_text(json.dumps(card, indent=2) + "\n")
        rows = log + stage_log(run_dir / name / "log.csv", round_no, "variant", sum(h["steps"] for h in lineage),
                               own["steps"])
        write_log(LOGS / f"{name}.csv", rows)
        print(f"{name}: {card['training']['total_steps']} steps, {own_total} own, {len(rows)} log rows")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
