"""Ships a training round: copies its checkpoints into checkpoints/, with model cards and logs that carry the
whole lineage of every checkpoint (each round's trunk and variant stages), not only its last stage.

Every variant's lineage is the shared S2C-Identity trunk of all rounds so far (each round continues the trunk
from the shipped Identity checkpoint), then its own variant stage of the last round.

Usage: .venv/bin/python scripts/finish_round.py runs/r2 2   (after scripts/train_lite.sh with RUNS=runs/r2)
Then: .venv/bin/python -m s2c evaluate --update --classical --cards
"""
import csv
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from s2c.cards import stage_entry, stages  # noqa: E402
from s2c.config import S2C_VARIANTS  # noqa: E402

CKPT, LOGS = ROOT / "checkpoints", ROOT / "checkpoints" / "logs"


def read_log(path: Path, round_no: int, stage: str, offset: int) -> list:
    with path.open(newline="") as f:
        return [{**r, "step": int(r["step"]) + offset, "stage": r.get("stage", stage), "round": r.get("round", round_no)}
                for r in csv.DictReader(f)]


def write_log(path: Path, rows: list) -> None:
    fields = ["round", "stage", "step", "level", "n", "loss", "bpp", "mse", "psnr", "lr", "wall_s"]
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main(run_dir: Path, round_no: int) -> None:
    identity = json.loads((CKPT / "s2c-identity-lite.json").read_text())
    lineage = stages(identity)  # the new trunk continued from the shipped Identity checkpoint
    trunk_card = json.loads((run_dir / "trunk" / "s2c-identity-lite.json").read_text())
    trunk = stage_entry(trunk_card["training"], round_no, "trunk", "s2c-identity")
    trunk["init_from"] = "the shipped s2c-identity-lite checkpoint of the previous round"
    lineage_log = read_log(LOGS / "s2c-identity-lite.csv", round_no - 1, "trunk", 0)
    offset = sum(h["steps"] for h in lineage)
    # a stage stopped between two saves resumed from its last save: drop the log rows past it
    lineage_log += [r for r in read_log(run_dir / "trunk" / "log.csv", round_no, "trunk", offset)
                    if r["step"] <= offset + trunk["steps"]]
    offset += trunk["steps"]
    for v in S2C_VARIANTS:
        name = f"{v}-lite"
        card = json.loads((run_dir / "export" / f"{name}.json").read_text())
        own = stage_entry(card["training"], round_no, "variant", v)
        history = lineage + [trunk, own]
        card["training"] = {**card["training"], "history": history,
                            "total_steps": sum(h["steps"] for h in history),
                            "total_wall_s": round(sum(h["wall_s"] for h in history), 1),
                            "note": "the shared S2C-Identity trunk of every round (function-preserving warm start), "
                                    f"then {own['steps']} steps with the variant's own operators; the same recipe "
                                    "for all four variants"}
        shutil.copyfile(run_dir / "export" / f"{name}.safetensors", CKPT / f"{name}.safetensors")
        (CKPT / f"{name}.json").write_text(json.dumps(card, indent=2) + "\n")
        rows = lineage_log + read_log(run_dir / f"{name}" / "log.csv", round_no, "variant", offset)
        write_log(LOGS / f"{name}.csv", rows)
        print(f"{name}: {card['training']['total_steps']} steps, {len(rows)} log rows")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
