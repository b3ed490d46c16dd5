"""A training round on a lent GPU (the `device` tool), within that tool's limits.

Round 19 was trained this way (2026-11-27, one H100: 1,950 steps of batch 16 x 256² for each variant in 440 s of
training, the three calls and the machine's start within 10 of the session's 15 device minutes), and round 37
(2026-12-04, one H200, TRAIN_S=440: a 40-s probe, 2,200 steps, the last call 542 s of its 600-s limit, the machine
held 655 of the session's 900 device seconds: 440 is about the most one call holds). Tests:
tests/test_device_round.py; the `train` step also runs on the CPU (DEVICE=cpu, a few steps).

Why so many steps: a call sends the working tree plus carried paths, at most 64 MiB, and the shipped checkpoints
alone are ~70 MB, the training crops ~130 MB; it brings back at most 8 files of 16 MiB each; and a machine stays
warm only ~30 s after a call, with no way to fetch anything there. So the crops travel in parts, one call each,
kept outside the repository copy on the machine while it is warm, and the checkpoints travel gzipped, with the
wheels the machine lacks (compressai, pytorch-msssim), in the last call, which trains and sends the results back.

  here:    .venv/bin/python scripts/device_round.py pack
           writes .dev/ (git-ignored through .git/info/exclude), prints the device calls to make; it also takes
           checkpoints/*.safetensors out of the tree (the index and the folder: `unpack` or `restore` bring the
           committed ones back) so that the tree fits a call.
  device:  the printed calls, one right after the other: `stash dataK` for each data part but the last, then
           `train` with the last part and .dev/init (four variants at once, one recipe, steps fitted to TRAIN_S).
           `train` reads BATCH (16), CROP (256), LR (peak, 2e-4), SEED and, for a weight average, EMA (its decay)
           and EMA_FROM (0.5) from the environment.
  here:    .venv/bin/python scripts/device_round.py unpack <files_at> runs/rN
           then scripts/finish_round.py runs/rN N and the usual evaluation (see scripts/train_lite.sh's header).
  Should the machine go back between calls, `train` stops with a message (data parts missing): pack nothing
  again, just repeat the calls on the fresh machine if device time allows, else `restore`.
"""
import argparse
import csv
import gzip
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / ".dev"
# = s2c.config.S2C_VARIANTS (a test keeps them equal): the device side runs before s2c's dependency compressai is
# installed there
VARIANTS = ("s2c-identity", "s2c-conv", "s2c-attention", "s2c-hybrid")
CALL_LIMIT = 64 * 2 ** 20
MARGIN = 2 * 2 ** 20
WHEELS = ("compressai==1.2.8", "pytorch-msssim==1.0.0")
PIP_TARGET = ["--only-binary=:all:", "--python-version", "3.12", "--implementation", "cp",
              "--platform", "manylinux_2_34_x86_64", "--platform", "manylinux_2_28_x86_64",
              "--platform", "manylinux_2_17_x86_64"]


def gzip_file(src: Path, dst: Path) -> None:
    with open(src, "rb") as f, gzip.open(dst, "wb", compresslevel=6) as g:
        shutil.copyfileobj(f, g)


def gunzip_file(src: Path, dst: Path) -> None:
    with gzip.open(src, "rb") as g, open(dst, "wb") as f:
        shutil.copyfileobj(g, f)


# ---- here: pack ------------------------------------------------------------------------------------------------

def tar_size(sizes) -> int:
    """Bytes of a plain ustar archive of files of these sizes (512-byte headers and blocks, 10 KiB records)."""
    body = sum(512 + -(-s // 512) * 512 for s in sizes) + 1024
    return -(-body // 10240) * 10240


def split_parts(sizes: list, part_cap: int, last_cap: int) -> list:
    """Index ranges [(start, end), ...] of files in order: every part's tar within ``part_cap``, the last within
    ``last_cap`` (it shares its call with the checkpoints and wheels)."""
    if last_cap <= tar_size([]):
        raise ValueError("no room left for training data beside the checkpoints in one call")
    end, start = len(sizes), len(sizes)
    while start > 0 and tar_size(sizes[start - 1:end]) <= last_cap:
        start -= 1
    parts = [(start, end)]
    while start > 0:
        end = start
        while start > 0 and tar_size(sizes[start - 1:end]) <= part_cap:
            start -= 1
        if start == end:
            raise ValueError(f"a training image is larger than a call can carry ({sizes[start - 1]} bytes)")
        parts.append((start, end))
    return parts[::-1]


def git(*args) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout


def tree_bytes() -> int:
    """What a device call sends besides the carried paths: tracked and untracked-not-ignored files that exist."""
    names = git("ls-files", "-co", "--exclude-standard", "-z").split("\0")
    return sum((ROOT / n).stat().st_size for n in names if n and (ROOT / n).is_file())


def ignore_dev() -> None:
    exclude = Path(git("rev-parse", "--git-path", "info/exclude").strip())
    exclude = exclude if exclude.is_absolute() else ROOT / exclude
    exclude.parent.mkdir(parents=True, exist_ok=True)
    lines = exclude.read_text().splitlines() if exclude.exists() else []
    if "/.dev/" not in lines:
        exclude.write_text("\n".join(lines + ["/.dev/"]) + "\n")


def hide_checkpoints() -> None:
    """Takes the shipped weights out of the tree (they are committed: `restore` brings them back)."""
    git("rm", "-q", "--cached", "--", *[f"checkpoints/{v}-lite.safetensors" for v in VARIANTS])
    for v in VARIANTS:
        (ROOT / "checkpoints" / f"{v}-lite.safetensors").unlink()


def restore_checkpoints() -> None:
    """Brings back the committed weights that `hide_checkpoints` took away; never touches one that is there."""
    hidden = [f"checkpoints/{v}-lite.safetensors" for v in VARIANTS
              if not (ROOT / "checkpoints" / f"{v}-lite.safetensors").exists()]
    if hidden:
        git("reset", "-q", "HEAD", "--", *hidden)
        git("checkout", "--", *hidden)


def pack_init(init: Path) -> None:
    init.mkdir(parents=True)
    for v in VARIANTS:
        gzip_file(ROOT / "checkpoints" / f"{v}-lite.safetensors", init / f"{v}-lite.safetensors.gz")
    pip = subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", *PIP_TARGET, "-d", str(init),
                          *WHEELS], capture_output=True, text=True)
    if pip.returncode:
        raise SystemExit(f"could not download the wheels the device lacks ({', '.join(WHEELS)}):\n{pip.stderr}")


def train_command(part: str, seed: int, train_s: int, recipe: dict) -> str:
    """The device call that trains: the recipe (LR=, EMA=, ...: `train_args` reads them) travels as variables."""
    given = {k: v for k, v in recipe.items() if v is not None}
    env = {"PYTHONUNBUFFERED": 1, "SEED": seed, "TRAIN_S": train_s, **given}
    return " ".join(f"{k}={v}" for k, v in env.items()) + f" python3 scripts/device_round.py train {part}"


def pack(data: Path, seed: int, round_no: int, train_s: int, recipe: dict) -> None:
    from s2c.data import list_images
    from s2c.train import DEFAULT_DATA
    files = list_images(data or DEFAULT_DATA)
    if git("status", "--porcelain", "--", "checkpoints/"):
        raise SystemExit("checkpoints/ differs from the last commit: commit it (or restore it) before packing")
    if DEV.exists():
        shutil.rmtree(DEV)
    ignore_dev()
    pack_init(DEV / "init")
    hide_checkpoints()
    try:
        init_bytes = sum(p.stat().st_size for p in (DEV / "init").iterdir())
        room = CALL_LIMIT - MARGIN - tree_bytes()
        parts = split_parts([p.stat().st_size for p in files], room, room - init_bytes - 4096)
        for k, (a, b) in enumerate(parts, 1):
            (DEV / f"data{k}").mkdir()
            with tarfile.open(DEV / f"data{k}" / "patches.tar", "w", format=tarfile.USTAR_FORMAT) as tar:
                for p in files[a:b]:
                    tar.add(p, arcname=p.name)
    except BaseException:
        restore_checkpoints()
        raise
    (DEV / "init" / "manifest.json").write_text(json.dumps({"images": len(files), "parts": len(parts)}) + "\n")
    print(f"packed {len(files)} images in {len(parts)} parts; tree {tree_bytes() / 2**20:.1f} MiB; checkpoints "
          f"and wheels {init_bytes / 2**20:.1f} MiB. Device calls, one right after the other:")
    for k in range(1, len(parts)):
        print(f"  carry ['.dev/data{k}']  command: python3 scripts/device_round.py stash data{k}")
    print(f"  carry ['.dev/data{len(parts)}', '.dev/init']  timeout_s 600  command: "
          + train_command(f"data{len(parts)}", seed, train_s, recipe))
    print(f"then here: scripts/device_round.py unpack <files_at> runs/r{round_no}, "
          f"scripts/finish_round.py runs/r{round_no} {round_no}")


# ---- device: stash, train ----------------------------------------------------------------------------------------

def device_home() -> Path:
    return Path(os.environ.get("S2C_DEVICE_HOME", "/root/s2c-device"))


def stash(part: str) -> int:
    data = device_home() / "train_patches"
    data.mkdir(parents=True, exist_ok=True)
    with tarfile.open(DEV / part / "patches.tar") as tar:
        tar.extractall(data, filter="data")
    count = sum(1 for _ in data.iterdir())
    print(f"{part}: {count} training images kept in {data}")
    return count


def install_wheels(home: Path) -> dict:
    """Installs the carried wheels where this Python lacks compressai (the GPU machine's image has no copy)."""
    site = home / "site"
    wheels = sorted(str(p) for p in (DEV / "init").glob("*.whl"))
    if wheels and importlib.util.find_spec("compressai") is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-index", "--no-deps", "--no-compile",
                        "--no-cache-dir", "--upgrade", "--target", str(site), *wheels], check=True)
    path = os.pathsep.join([str(site), str(ROOT), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path}


def unzip_init(home: Path) -> Path:
    init = home / "init"
    init.mkdir(parents=True, exist_ok=True)
    for v in VARIANTS:
        gunzip_file(DEV / "init" / f"{v}-lite.safetensors.gz", init / f"{v}-lite.safetensors")
    return init


def train_args(v: str, home: Path, run: str, steps: int, log_every: int, export: bool) -> list:
    s = os.environ
    args = [sys.executable, "-m", "s2c.train", "--variant", v, "--preset", "lite",
            "--data", str(home / "train_patches"), "--run-dir", str(home / run / f"{v}-lite"),
            "--steps", str(steps), "--warmup", "100", "--decay-from", "0.5",
            "--init-from", str(home / "init" / f"{v}-lite.safetensors"), "--batch", s.get("BATCH", "16"),
            "--crop", s.get("CROP", "256"), "--lr", s.get("LR", "2e-4"), "--seed", s.get("SEED", "20251200"),
            "--device", s.get("DEVICE", "cuda"), "--threads", s.get("THREADS", "4"), "--save-minutes", "60",
            "--log-every", str(log_every)]
    if "LIMIT_IMAGES" in s:
        args += ["--limit-images", s["LIMIT_IMAGES"]]
    if "EMA" in s:
        args += ["--ema", s["EMA"], "--ema-from", s.get("EMA_FROM", "0.5")]
    return args + (["--export", str(home / "export")] if export else [])


def run_all(commands: dict, env: dict, logs: Path) -> None:
    """The four variants at once (``commands``: variant -> argv): each alone leaves most of the GPU idle."""
    logs.mkdir(parents=True, exist_ok=True)
    procs = {v: subprocess.Popen(c, env=env, stdout=open(logs / f"{v}.txt", "w"), stderr=subprocess.STDOUT)
             for v, c in commands.items()}
    failed = [v for v, p in procs.items() if p.wait()]
    if failed:
        for v in failed:
            print((logs / f"{v}.txt").read_text()[-3000:])
        raise SystemExit(f"training failed for {', '.join(failed)}")


def seconds_per_step(home: Path, env: dict) -> float:
    """The slowest variant's step time with all four running: a short run, its first rows (start-up) left out."""
    probe = int(os.environ.get("PROBE_STEPS", "40"))
    run_all({v: train_args(v, home, "probe", probe, 5, False) for v in VARIANTS}, env, home / "probe")
    worst = 0.0
    for v in VARIANTS:
        with open(home / "probe" / f"{v}-lite" / "log.csv", newline="") as f:
            walls = {int(r["step"]): float(r["wall_s"]) for r in csv.DictReader(f)}
        first, last = min(walls), max(walls)
        worst = max(worst, (walls[last] - walls[first]) / max(1, last - first))
    return worst


def train(part: str) -> None:
    if "OUT" not in os.environ:
        raise SystemExit("OUT is not set: `train` runs on the device machine, which sets it")
    home, out = device_home(), Path(os.environ["OUT"])
    have, expected = stash(part), json.loads((DEV / "init" / "manifest.json").read_text())["images"]
    if have != expected:
        raise SystemExit(f"only {have} of {expected} training images are here: a `stash` call is missing (did the "
                         "machine go back between calls?). Repeat the stash calls, then this one.")
    env = install_wheels(home)
    unzip_init(home)
    t0 = time.time()
    step_s = seconds_per_step(home, env)
    steps = int(float(os.environ.get("TRAIN_S", "360")) / step_s) // 50 * 50
    print(f"probe: {step_s:.3f} s/step with four at once ({time.time() - t0:.0f} s) -> {steps} steps each")
    if steps < int(os.environ.get("MIN_STEPS", "200")):
        raise SystemExit("too few steps fit TRAIN_S: nothing trained")
    run_all({v: train_args(v, home, "runs", steps, 25, True) for v in VARIANTS}, env, home / "runs")
    for v in VARIANTS:
        gzip_file(home / "export" / f"{v}-lite.safetensors", out / f"{v}-lite.safetensors.gz")
    with tarfile.open(out / "cards_logs.tar", "w") as tar:
        for v in VARIANTS:
            tar.add(home / "export" / f"{v}-lite.json", arcname=f"{v}-lite.json")
            tar.add(home / "runs" / f"{v}-lite" / "log.csv", arcname=f"{v}-lite.csv")
            tar.add(home / "runs" / f"{v}.txt", arcname=f"{v}-lite.txt")
    print(f"done in {time.time() - t0:.0f} s: {steps} steps each; results in $OUT")


# ---- here: unpack ------------------------------------------------------------------------------------------------

def zoo():
    """s2c.zoo, imported only here: the device side runs before compressai, which s2c needs, is installed."""
    sys.path.insert(0, str(ROOT))
    from s2c import zoo as module
    return module


def weights_hash(weights: Path) -> str:
    return zoo().model_from_weights(weights)._s2c_hash


def unpack(files_at: Path, run_dir: Path) -> None:
    """The returned results as train_lite.sh leaves a round (run_dir/export, run_dir/<name>/log.csv), for
    scripts/finish_round.py; then the shipped checkpoints come back into the tree."""
    export = run_dir / "export"
    export.mkdir(parents=True, exist_ok=True)
    with tarfile.open(files_at / "cards_logs.tar") as tar:
        tar.extractall(run_dir / "returned", filter="data")
    for v in VARIANTS:
        name = f"{v}-lite"
        weights = export / f"{name}.safetensors"
        gunzip_file(files_at / f"{name}.safetensors.gz", weights)
        card = json.loads((run_dir / "returned" / f"{name}.json").read_text())
        if zoo().file_hash(weights) != card.get("file_sha256"):
            raise SystemExit(f"{weights.name} differs from the file its card describes: broken in transfer?")
        # The card's weights hash, made on the device (torch 2.11), did not match the same file loaded here
        # (round 19): the hash that bitstreams and load_pretrained check is the one of the weights as they load here.
        card["weights_sha256"] = weights_hash(weights)
        card["training"]["hardware"] += f", shared by the {len(VARIANTS)} variants' runs at once"
        (export / f"{name}.json").write_text(json.dumps(card, indent=2) + "\n")
        (run_dir / name).mkdir(exist_ok=True)
        shutil.copyfile(run_dir / "returned" / f"{name}.csv", run_dir / name / "log.csv")
    restore_checkpoints()
    print(f"unpacked into {run_dir}; checkpoints/ restored. Next: scripts/finish_round.py {run_dir} N")


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    pk = sub.add_parser("pack")
    pk.add_argument("--data", type=Path, help="training crops (default: s2c train's, ../shared/data/train_patches)")
    pk.add_argument("--seed", type=int, required=True)
    pk.add_argument("--round", type=int, required=True)
    pk.add_argument("--train-s", type=int, default=440, help="training seconds on the device (after the probe)")
    pk.add_argument("--lr", help="peak learning rate (the device's default: 2e-4)")
    pk.add_argument("--ema", help="decay of the exported average of the weights (none by default)")
    pk.add_argument("--ema-from", help="share of the steps before the average starts (default 0.5)")
    sub.add_parser("stash").add_argument("part")
    sub.add_parser("train").add_argument("part")
    up = sub.add_parser("unpack")
    up.add_argument("files_at", type=Path)
    up.add_argument("run_dir", type=Path)
    sub.add_parser("restore")
    a = p.parse_args(argv)
    if a.cmd == "pack":
        sys.path.insert(0, str(ROOT))
        pack(a.data, a.seed, a.round, a.train_s, {"LR": a.lr, "EMA": a.ema, "EMA_FROM": a.ema_from})
    elif a.cmd == "stash":
        stash(a.part)
    elif a.cmd == "train":
        train(a.part)
    elif a.cmd == "unpack":
        unpack(a.files_at, a.run_dir)
    else:
        restore_checkpoints()


if __name__ == "__main__":
    main()
