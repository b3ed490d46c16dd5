"""scripts/finish_round.py: a shipped round keeps every checkpoint's whole lineage, in its card and its log."""
import csv
import json

import pytest
from conftest import load_script

from s2c.cards import own_steps
from s2c.config import S2C_VARIANTS


@pytest.fixture
def finish_round(tmp_path, monkeypatch):
    module = load_script("finish_round")
    ckpt = tmp_path / "checkpoints"
    (ckpt / "logs").mkdir(parents=True)
    monkeypatch.setattr(module, "CKPT", ckpt)
    monkeypatch.setattr(module, "LOGS", ckpt / "logs")
    return module


def stage(rnd, kind, variant, steps):
    return {"round": rnd, "stage": kind, "variant": variant, "steps": steps, "wall_s": 10.0 * steps}


def write_log(path, steps, extra=None):
    rows = [{**(extra or {}), "step": s, "level": 1, "n": 1, "loss": 1.0, "bpp": 0.5, "mse": 0.01, "psnr": 20.0,
             "lr": 1e-4, "wall_s": 1.0} for s in steps]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def ship(ckpt, run, shipped_history, new_steps):
    """Shipped checkpoints with ``shipped_history``; the round's exports trained ``new_steps`` more."""
    total = sum(h["steps"] for h in shipped_history)
    for v in S2C_VARIANTS:
        card = {"variant": v, "training": {"history": shipped_history}}
        (ckpt / f"{v}-lite.json").write_text(json.dumps(card))
        write_log(ckpt / "logs" / f"{v}-lite.csv", [total], {"round": 1, "stage": "variant"})
        export = run / "export"
        export.mkdir(parents=True, exist_ok=True)
        (export / f"{v}-lite.json").write_text(json.dumps({"variant": v, "training": {"steps": new_steps,
                                                                                          "wall_s": 5.0}}))
        (export / f"{v}-lite.safetensors").write_bytes(v.encode())
        write_log(run / f"{v}-lite" / "log.csv", [25, new_steps])


def test_a_round_without_trunk_adds_to_each_variants_own_lineage(finish_round, tmp_path):
    ckpt, run = finish_round.CKPT, tmp_path / "runs" / "r3"
    shipped = [stage(1, "trunk", "s2c-identity", 1000), stage(2, "variant", "s2c-conv", 300)]
    ship(ckpt, run, shipped, 650)
    finish_round.main(run, 3)
    for v in S2C_VARIANTS:
        card = json.loads((ckpt / f"{v}-lite.json").read_text())
        history = card["training"]["history"]
        assert [(h["round"], h["stage"], h["steps"]) for h in history] == [(1, "trunk", 1000), (2, "variant", 300),
                                                                           (3, "variant", 650)]
        assert card["training"]["total_steps"] == 1950 and own_steps(card) == 950
        assert (ckpt / f"{v}-lite.safetensors").read_bytes() == v.encode()
        with (ckpt / "logs" / f"{v}-lite.csv").open() as f:
            rows = list(csv.DictReader(f))
        assert [(r["round"], int(r["step"])) for r in rows] == [("1", 1300), ("3", 1325), ("3", 1950)]


def test_a_round_already_shipped_is_refused_and_nothing_is_written(finish_round, tmp_path):
    ckpt, run = finish_round.CKPT, tmp_path / "runs" / "r3"
    ship(ckpt, run, [stage(1, "trunk", "s2c-identity", 1000), stage(2, "variant", "s2c-conv", 300)], 650)
    finish_round.main(run, 3)
    before = {p.name: p.read_bytes() for p in ckpt.rglob("*") if p.is_file()}
    with pytest.raises(SystemExit, match="round 3 is already shipped"):
        finish_round.main(run, 3)
    assert {p.name: p.read_bytes() for p in ckpt.rglob("*") if p.is_file()} == before


def test_a_round_with_trunk_shares_the_new_trunk(finish_round, tmp_path):
    ckpt, run = finish_round.CKPT, tmp_path / "runs" / "r2"
    shipped = [stage(1, "trunk", "s2c-identity", 1000), stage(1, "variant", "s2c-identity", 100)]
    ship(ckpt, run, shipped, 300)
    trunk = run / "trunk"
    trunk.mkdir()
    (trunk / "s2c-identity-lite.json").write_text(json.dumps({"training": {"steps": 500, "wall_s": 50.0}}))
    write_log(trunk / "log.csv", [250, 500, 525])  # 525: past the exported step (a stopped stage), dropped
    finish_round.main(run, 2)
    card = json.loads((ckpt / "s2c-conv-lite.json").read_text())
    assert [(h["stage"], h["steps"]) for h in card["training"]["history"]] == [
        ("trunk", 1000), ("variant", 100), ("trunk", 500), ("variant", 300)]
    assert own_steps(card) == 300 and card["training"]["total_steps"] == 1900
    with (ckpt / "logs" / "s2c-conv-lite.csv").open() as f:
        steps = [int(r["step"]) for r in csv.DictReader(f)]
    assert steps == [1100, 1350, 1600, 1625, 1900]


def test_a_resumed_stage_keeps_only_the_resumed_runs_rows(finish_round, tmp_path):
    ckpt, run = finish_round.CKPT, tmp_path / "runs" / "r4"
    ship(ckpt, run, [stage(1, "variant", "s2c-conv", 100)], 100)
    # stopped after logging 50 and 75, resumed from its save at step 25: 50 and 75 logged again, then 100
    write_log(run / "s2c-conv-lite" / "log.csv", [25, 50, 75, 50, 75, 100])
    write_log(run / "s2c-identity-lite" / "log.csv", [25, 50, 50, 75, 100])  # stopped right after logging 50
    finish_round.main(run, 4)
    for v in ("s2c-conv", "s2c-identity"):
        with (ckpt / "logs" / f"{v}-lite.csv").open() as f:
            steps = [int(r["step"]) for r in csv.DictReader(f)]
        assert steps == [100, 125, 150, 175, 200]
