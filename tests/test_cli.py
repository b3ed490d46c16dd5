import json
import subprocess
import sys

import numpy as np
import pytest
from conftest import ROOT
from PIL import Image


def run(*args, timeout=300, **env):
    return subprocess.run([sys.executable, "-m", "s2c", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "2", **env})


@pytest.mark.parametrize("command", ["compress", "decompress", "info", "train", "evaluate", "bench"])
def test_every_command_has_help(command):
    r = run(command, "--help")
    assert r.returncode == 0 and "usage" in r.stdout.lower()


def test_compress_decompress_untrained(tmp_path):
    src = tmp_path / "in.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (40, 50, 3), dtype=np.uint8)).save(src)
    r = run("compress", str(src), "-o", str(tmp_path / "a.s2c"), "--variant", "s2c-identity", "--quality", "3.5",
            "--untrained")
    assert r.returncode == 0, r.stderr
    assert "UNTRAINED" in r.stderr
    size = (tmp_path / "a.s2c").stat().st_size
    assert f"{size} bytes" in r.stdout
    r = run("decompress", str(tmp_path / "a.s2c"), "-o", str(tmp_path / "out.png"), "--untrained")
    assert r.returncode == 0, r.stderr
    assert Image.open(tmp_path / "out.png").size == (50, 40)


@pytest.mark.parametrize("args,needle", [
    (["compress", "/nonexistent.png", "--untrained"], "not found"),
    (["compress", "README.md", "--untrained"], "not an image"),
    (["decompress", "README.md"], "not an S2C Lab file"),
    (["decompress", "/nonexistent.s2c"], "cannot read"),
    (["compress", "assets/samples/kodim23.png", "--quality", "9", "--untrained", "--variant", "s2c-identity"],
     "quality"),
])
def test_errors_are_one_clear_line(args, needle):
    r = run(*args)
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    errors = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and needle in errors[0], r.stderr


def test_evaluate_names_models_as_its_results_do():
    from s2c.evaluate import learned_variant
    assert learned_variant("s2c-conv-lite") == learned_variant("s2c-conv") == "s2c-conv"


def test_bench_names_models_as_evaluate_does():
    from s2c.bench import bench_model
    assert bench_model("s2c-conv") == bench_model("s2c-conv-lite") == "s2c-conv-lite"
    assert bench_model("swin-paper") == "swin-paper"


@pytest.mark.parametrize("command,args,needle", [
    ("evaluate", ["--models", "s2c-nope"], "unknown model 's2c-nope'"),
    ("evaluate", ["--classical", "png"], "invalid choice: 'png'"),
    ("bench", ["--models", "s2c-identity-lite", "bogus"], "unknown model 'bogus'")])
def test_evaluate_and_bench_refuse_unknown_names_before_any_work(command, args, needle, tmp_path):
    r = run(command, *args, "--out", str(tmp_path / "out.json"))
    assert not (tmp_path / "out.json").exists()
    assert r.returncode == 2 and "Traceback" not in r.stderr and needle in r.stderr, r.stderr


def test_evaluate_reports_a_missing_checkpoint_in_one_line(tmp_path):
    out = tmp_path / "kodak.json"
    r = run("evaluate", "--models", "s2c-conv-lite", "--limit", "1", "--classical", "--out", str(out),
            S2C_CHECKPOINT_DIR=str(tmp_path))
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert "error: no trained checkpoint for s2c-conv-lite" in r.stderr
    assert not out.exists()


def test_evaluate_update_keeps_the_machine_each_codec_was_timed_on(tmp_path):
    from s2c.evaluate import KODAK
    if not KODAK.is_dir():
        pytest.skip("needs the Kodak images beside the repo")
    out = tmp_path / "kodak.json"
    webp = {"kind": "classical", "bpp": [0.2, 0.5, 1.0], "psnr": [27.0, 30.0, 33.0], "enc_ms": [1.0] * 3}
    out.write_text(json.dumps({"machine": "an older host", "codecs": {"webp": webp}}))
    r = run("evaluate", "--models", "--classical", "jpeg", "--limit", "1", "--update", "--out", str(out))
    assert r.returncode == 0, r.stderr
    results = json.loads(out.read_text())
    codecs = results["codecs"]
    assert codecs["webp"]["machine"] == "an older host" and codecs["webp"]["bpp"] == webp["bpp"]
    assert codecs["jpeg"]["machine"] == results["machine"] != "an older host"
    assert codecs["vtm"]["kind"] == "reference" and "machine" not in codecs["vtm"]
