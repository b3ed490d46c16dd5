"""scripts/device_round.py: the training crops are split into parts that each fit one device call, and the results
that come back are laid out as a round of train_lite.sh, ready for finish_round.py."""
import gzip
import hashlib
import io
import json
import tarfile

import numpy as np
import pytest
from conftest import load_script

from s2c.config import S2C_VARIANTS


@pytest.fixture(scope="module")
def device_round():
    return load_script("device_round")


def written_tar_size(sizes) -> int:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for k, s in enumerate(sizes):
            info = tarfile.TarInfo(f"p{k:05d}.webp")
            info.size = s
            tar.addfile(info, io.BytesIO(bytes(s)))
    return len(buf.getvalue())


def test_device_side_lists_the_shipped_variants(device_round):
    assert device_round.VARIANTS == tuple(S2C_VARIANTS)


@pytest.mark.parametrize("sizes", [[], [1], [511, 512, 513], [70_000, 81_234, 65_536, 9_999]])
def test_tar_size_is_what_tarfile_writes(device_round, sizes):
    assert device_round.tar_size(sizes) == written_tar_size(sizes)


def test_parts_cover_every_image_once_and_fit_their_calls(device_round):
    sizes = [int(s) for s in np.random.default_rng(0).integers(40_000, 110_000, 1753)]
    cap, last_cap = 20 * 2 ** 20, 7 * 2 ** 20
    parts = device_round.split_parts(sizes, cap, last_cap)
    assert parts[0][0] == 0 and parts[-1][1] == len(sizes)
    assert all(a[1] == b[0] for a, b in zip(parts, parts[1:]))
    assert all(device_round.tar_size(sizes[a:b]) <= cap for a, b in parts[:-1])
    assert device_round.tar_size(sizes[slice(*parts[-1])]) <= last_cap
    assert all(device_round.tar_size(sizes[a - 1:b]) > cap for a, b in parts[1:-1])  # parts are full


def test_parts_refuse_what_no_call_can_carry(device_round):
    with pytest.raises(ValueError, match="larger than a call"):
        device_round.split_parts([100, 5_000_000, 100], 1_000_000, 500_000)
    with pytest.raises(ValueError, match="no room"):
        device_round.split_parts([100], 1_000_000, 1_000)


def test_unpack_lays_out_a_round_for_finish_round(device_round, tmp_path, monkeypatch):
    files_at, run = tmp_path / "files", tmp_path / "runs" / "r11"
    files_at.mkdir()
    payloads = {}
    with tarfile.open(files_at / "cards_logs.tar", "w") as tar:
        for k, v in enumerate(device_round.VARIANTS):
            name = f"{v}-lite"
            payloads[name] = bytes([k]) * 1000 + name.encode()
            (files_at / f"{name}.safetensors.gz").write_bytes(gzip.compress(payloads[name]))
            card = {"training": {"steps": 400, "hardware": "1 x GPU"}, "weights_sha256": "made there",
                    "file_sha256": hashlib.sha256(payloads[name]).hexdigest()}
            for suffix, text in ((".json", json.dumps(card)),
                                 (".csv", "step,level\n25,1\n"), (".txt", "log")):
                (tmp_path / (name + suffix)).write_text(text)
                tar.add(tmp_path / (name + suffix), arcname=name + suffix)
    restored = []
    monkeypatch.setattr(device_round, "restore_checkpoints", lambda: restored.append(True))
    monkeypatch.setattr(device_round, "weights_hash", lambda p: "here:" + hashlib.sha256(p.read_bytes()).hexdigest())
    device_round.unpack(files_at, run)
    assert restored == [True]
    for name, payload in payloads.items():
        assert (run / "export" / f"{name}.safetensors").read_bytes() == payload
        card = json.loads((run / "export" / f"{name}.json").read_text())
        assert card["training"]["steps"] == 400 and "at once" in card["training"]["hardware"]
        assert card["weights_sha256"] == "here:" + hashlib.sha256(payload).hexdigest()
        assert (run / name / "log.csv").read_text() == "step,level\n25,1\n"


def test_unpack_refuses_weights_that_differ_from_their_card(device_round, tmp_path, monkeypatch):
    files_at = tmp_path / "files"
    files_at.mkdir()
    with tarfile.open(files_at / "cards_logs.tar", "w") as tar:
        for v in device_round.VARIANTS:
            name = f"{v}-lite"
            (files_at / f"{name}.safetensors.gz").write_bytes(gzip.compress(b"truncated"))
            for suffix, text in ((".json", json.dumps({"training": {}, "file_sha256": "0" * 64})),
                                 (".csv", "step\n"), (".txt", "log")):
                (tmp_path / (name + suffix)).write_text(text)
                tar.add(tmp_path / (name + suffix), arcname=name + suffix)
    monkeypatch.setattr(device_round, "restore_checkpoints", lambda: None)
    with pytest.raises(SystemExit, match="broken in transfer"):
        device_round.unpack(files_at, tmp_path / "runs" / "r11")


def test_train_stops_when_a_data_part_is_missing(device_round, tmp_path, monkeypatch):
    dev = tmp_path / ".dev"
    (dev / "init").mkdir(parents=True)
    (dev / "init" / "manifest.json").write_text(json.dumps({"images": 3, "parts": 2}))
    (dev / "data2").mkdir()
    with tarfile.open(dev / "data2" / "patches.tar", "w") as tar:
        (tmp_path / "p00002.webp").write_bytes(b"x")
        tar.add(tmp_path / "p00002.webp", arcname="p00002.webp")
    monkeypatch.setattr(device_round, "DEV", dev)
    monkeypatch.setenv("S2C_DEVICE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("OUT", str(tmp_path / "out"))
    with pytest.raises(SystemExit, match="only 1 of 3 training images"):
        device_round.train("data2")


def test_the_printed_train_call_carries_the_recipe_to_the_trainer(device_round, tmp_path, monkeypatch):
    command = device_round.train_command("data3", 7, 440, {"LR": "8e-5", "EMA": "0.995", "EMA_FROM": None})
    *assignments, python, script, verb, part = command.split()
    assert (python, script, verb, part) == ("python3", "scripts/device_round.py", "train", "data3")
    env = dict(a.split("=", 1) for a in assignments)
    assert "EMA_FROM" not in env  # left to the trainer's default, not sent as "None"
    for key in ("LR", "EMA", "EMA_FROM", "SEED", "BATCH"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    args = device_round.train_args("s2c-conv", tmp_path, "runs", 100, 25, False)
    flags = dict(zip(args[3::2], args[4::2]))
    assert (flags["--lr"], flags["--seed"], flags["--ema"], flags["--ema-from"]) == ("8e-5", "7", "0.995", "0.5")
    plain = device_round.train_command("data3", 7, 440, {"LR": None, "EMA": None, "EMA_FROM": None})
    assert "EMA" not in plain and "LR" not in plain
