import shutil
import subprocess
import sys

import pytest
import torch
from conftest import ROOT
from safetensors.torch import load_file

from s2c import train

DATA = ROOT.parent / "shared" / "data" / "train_patches"
pytestmark = pytest.mark.skipif(not DATA.exists(), reason="shared training data not present")


def args(run, *extra):
    return ["--run-dir", str(run), "--variant", "s2c-conv", "--batch", "2", "--crop", "64", "--limit-images", "12",
            "--warmup", "2", "--log-every", "1", "--threads", "2", *extra]


def weights(run):
    return {k: v for k, v in load_file(str(run / "state.safetensors")).items()}


def test_resume_is_exact(tmp_path):
    train.main(args(tmp_path / "a", "--steps", "4"))
    train.main(args(tmp_path / "b", "--steps", "4", "--stop-at", "2"))
    train.main(args(tmp_path / "b", "--steps", "4", "--resume"))
    a, b = weights(tmp_path / "a"), weights(tmp_path / "b")
    assert a.keys() == b.keys()
    for k in a:
        assert torch.equal(a[k], b[k]), k
    log = (tmp_path / "b" / "log.csv").read_text().splitlines()
    assert log[0].startswith("step,level") and log[-1].split(",")[0] == "4"


def test_export_writes_checkpoint_and_card(tmp_path):
    train.main(args(tmp_path / "run", "--steps", "2", "--export", str(tmp_path / "ck")))
    from s2c.zoo import load_pretrained, read_card
    model = load_pretrained("s2c-conv", "lite", tmp_path / "ck")
    card = read_card("s2c-conv", "lite", tmp_path / "ck")
    assert card["training"]["steps"] == 2 and card["training"]["recipe"]["batch"] == 2
    assert "GFLOP/s" in card["training"]["hardware"]  # wall times are read beside the host's speed
    assert model.name == "s2c-conv-lite"


def test_weight_average_resumes_exactly_and_is_what_is_exported(tmp_path):
    # averages the weights after steps 2, 3 and 4, from trained weights (the entropy coder's tables built)
    shipped = ROOT / "checkpoints" / "s2c-conv-lite.safetensors"
    ema = ("--ema", "0.5", "--ema-from", "0.25", "--init-from", str(shipped))
    train.main(args(tmp_path / "a", "--steps", "4", *ema, "--export", str(tmp_path / "ck")))
    train.main(args(tmp_path / "b", "--steps", "4", "--stop-at", "2", *ema))
    train.main(args(tmp_path / "b", "--steps", "4", "--resume", *ema))
    a, b = weights(tmp_path / "a"), weights(tmp_path / "b")
    assert a.keys() == b.keys() and int(a["ema.n_averaged"]) == 3
    for k in a:
        assert torch.equal(a[k], b[k]), k
    from s2c.zoo import load_pretrained, read_card
    exported = load_pretrained("s2c-conv", "lite", tmp_path / "ck").state_dict()
    params = [n for n, _ in train.create_model("s2c-conv", "lite").named_parameters()]
    for n in params:  # checkpoints store parameters as float16
        assert torch.equal(exported[n].float(), a[f"ema.module.{n}"].half().float()), n
    assert any(not torch.equal(a[f"ema.module.{n}"], a[f"model.{n}"]) for n in params)
    assert read_card("s2c-conv", "lite", tmp_path / "ck")["training"]["recipe"]["ema"] == 0.5


def test_refuses_a_weight_average_that_cannot_start(tmp_path):
    with pytest.raises(SystemExit, match="--ema"):
        train.main(args(tmp_path / "run", "--steps", "2", "--ema", "0.5", "--ema-from", "1"))


def test_refuses_kodak(tmp_path):
    kodak = tmp_path / "kodak"
    kodak.mkdir()
    shutil.copy(ROOT / "assets" / "samples" / "kodim23.png", kodak)
    with pytest.raises(ValueError, match="Kodak"):
        train.main(args(tmp_path / "run", "--steps", "1", "--data", str(kodak)))


def test_ddp_two_cpu_processes(tmp_path):
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2", "--master_port=29533", "-m", "s2c",
           "train", *args(tmp_path / "ddp", "--steps", "2", "--threads", "1")]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert (tmp_path / "ddp" / "state.safetensors").exists()
