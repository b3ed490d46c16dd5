"""`python -m s2c train`: variable-rate R-D training with exact resume, CSV logs and optional DDP."""
import argparse
import csv
import json
import math
import os
import time
from pathlib import Path

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn
from tqdm import tqdm

from .config import LAMBDAS
from .data import PatchBank
from .host import cpu_name, matmul_gflops
from .state import load_extras, load_state, save_state
from .warmstart import warm_start
from .zoo import create_model, load_weights, save_checkpoint

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "train_patches"


class RDLoss(nn.Module):
    """Wraps the codec so that one forward gives the whole loss (R-D + entropy-bottleneck aux): DDP-friendly."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x, level: int):
        out = self.model(x, level + 1)
        n, _, h, w = x.shape
        bpp = sum(l.log2().sum() for l in out["likelihoods"].values()) / (-n * h * w)
        mse = (out["x_hat"] - x).pow(2).mean()
        rd = LAMBDAS[level] * 255 ** 2 * mse + bpp
        return rd, self.model.aux_loss(), bpp.detach(), mse.detach()


def learning_rate(step: int, args) -> float:
    warm = min(1.0, (step + 1) / max(1, args.warmup))
    start = args.decay_from * args.steps
    if step < start:
        return args.lr * warm
    t = (step - start) / max(1, args.steps - start)
    return args.lr * warm * (args.final_lr_ratio + (1 - args.final_lr_ratio) * 0.5 * (1 + math.cos(math.pi * t)))


def parse(argv=None):
    p = argparse.ArgumentParser(prog="python -m s2c train", description=__doc__)
    p.add_argument("--variant", default="s2c-identity")
    p.add_argument("--preset", default="lite")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of training images (never Kodak)")
    p.add_argument("--run-dir", type=Path, required=True, help="run folder: state, logs")
    p.add_argument("--steps", type=int, required=True, help="total steps of the schedule")
    p.add_argument("--stop-at", type=int, default=0, help="stop (with a checkpoint) at this step; 0 = --steps")
    p.add_argument("--batch", type=int, default=8, help="batch per process")
    p.add_argument("--crop", type=int, default=128)
    p.add_argument("--lr", type=float, default=2e-4)
    p.add_argument("--aux-lr", type=float, default=1e-3)
    p.add_argument("--gain-lr-scale", type=float, default=10.0,
                   help="learning-rate multiplier of the gain units (they barely move at the base rate)")
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--decay-from", type=float, default=0.7, help="fraction of --steps where cosine decay starts")
    p.add_argument("--final-lr-ratio", type=float, default=0.1)
    p.add_argument("--clip", type=float, default=1.0)
    p.add_argument("--ema", type=float, default=0.0,
                   help="export an exponential moving average of the weights with this decay (0: the last weights)")
    p.add_argument("--ema-from", type=float, default=0.5,
                   help="fraction of --steps where the average starts, from a copy of the weights then")
    p.add_argument("--seed", type=int, default=20251125)
    p.add_argument("--init-from", type=Path, help="warm start from an S2C-Identity trunk (.safetensors)")
    p.add_argument("--resume", action="store_true", help="continue exactly from <run>/state")
    p.add_argument("--save-minutes", type=float, default=10.0)
    p.add_argument("--max-minutes", type=float, default=0.0, help="stop (with a checkpoint) after this long")
    p.add_argument("--log-every", type=int, default=25)
    p.add_argument("--threads", type=int, default=0, help="torch threads (0 = torch default)")
    p.add_argument("--device", default="auto")
    p.add_argument("--export", type=Path, help="write the shipped checkpoint + model card here when done")
    p.add_argument("--limit-images", type=int, default=0, help="use only the first N images (tests)")
    return p.parse_args(argv)


def init_weights(model, path: Path) -> None:
    """Same variant: continue from those weights. An S2C-Identity trunk: function-preserving warm start."""
    tensors, meta = load_weights(path)
    source = json.loads(meta.get("config", "{}")).get("variant")
    if source == model.cfg.variant:
        model.load_state_dict(tensors)
    elif source == "s2c-identity":
        coder_tables = ("_quantized_cdf", "_offset", "_cdf_length", "scale_table")
        warm_start(model, {k: v for k, v in tensors.items() if not k.endswith(coder_tables)})
    else:
        raise SystemExit(f"--init-from: {path} holds {source}, which cannot initialise {model.cfg.variant}")


def param_groups(model, gain_lr_scale: float) -> list:
    """The transforms and entropy model at the base rate; the gain units at ``gain_lr_scale`` times it."""
    named = [(n, p) for n, p in model.named_parameters() if not n.endswith(".quantiles")]
    gain = [p for n, p in named if n.startswith("gain.")]
    rest = [p for n, p in named if not n.startswith("gain.")]
    return [{"params": rest, "lr_scale": 1.0}, {"params": gain, "lr_scale": gain_lr_scale}]


def setup_distributed(device_arg: str):
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    cuda = torch.cuda.is_available() and device_arg in ("auto", "cuda")
    if world > 1:
        dist.init_process_group("nccl" if cuda else "gloo")
    local = int(os.environ.get("LOCAL_RANK", "0"))
    device = torch.device(f"cuda:{local}" if cuda else "cpu")
    if cuda:
        torch.cuda.set_device(device)
    return rank, world, device


def recipe(args) -> dict:
    keys = ("steps", "batch", "crop", "lr", "aux_lr", "gain_lr_scale", "warmup", "decay_from", "final_lr_ratio",
            "clip", "seed")
    if args.ema:  # only then, so that the recipes of runs without an average stay as they were
        keys += ("ema", "ema_from")
    return {k: getattr(args, k) for k in keys}


def weight_average(model, args, rank: int):
    """The exponential moving average of the weights (torch's AveragedModel), kept by rank 0 only: every rank holds
    the same weights. Buffers are not averaged: they hold constants and the entropy coder's tables, which export
    rebuilds from the parameters."""
    if args.ema and not (0 < args.ema < 1 and 0 <= args.ema_from < 1):
        raise SystemExit(f"--ema {args.ema} --ema-from {args.ema_from}: the decay must lie between 0 and 1, "
                         "and the average must start before the last step")
    if not args.ema or rank != 0:
        return None
    return AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(args.ema))


def main(argv=None):
    args = parse(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    rank, world, device = setup_distributed(args.device)
    args.run_dir.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(args.seed)  # the same initial weights for the same seed (and on every DDP rank)
    model = create_model(args.variant, args.preset).to(device)
    aux_params = [p for n, p in model.named_parameters() if n.endswith(".quantiles")]
    main_params = [p for n, p in model.named_parameters() if not n.endswith(".quantiles")]
    opt = torch.optim.Adam(param_groups(model, args.gain_lr_scale), lr=args.lr)
    aux_opt = torch.optim.Adam(aux_params, lr=args.aux_lr)
    state_path = args.run_dir / "state"
    info = {"step": 0, "wall_s": 0.0}
    resuming = args.resume and state_path.with_suffix(".json").exists()
    if resuming:
        info = load_state(state_path, model, {"main": opt, "aux": aux_opt})
        if info["recipe"] != recipe(args) and rank == 0:
            print(f"note: recipe changed on resume: {info['recipe']} -> {recipe(args)}")
    elif args.init_from:
        init_weights(model, args.init_from)
        info["init_from"] = str(args.init_from)
    # Made from the weights training starts from: its buffers (the entropy coder's tables) must match the model's.
    ema = weight_average(model, args, rank)
    extras = {"ema": ema} if ema is not None else {}
    if resuming and extras:
        load_extras(state_path, extras)
    info["recipe"] = recipe(args)
    bank = PatchBank(args.data, args.limit_images)
    wrapped = RDLoss(model)
    if world > 1:
        device_ids = [device.index] if device.type == "cuda" else None
        wrapped = nn.parallel.DistributedDataParallel(wrapped, device_ids=device_ids)
    model.train()
    stop_at = args.stop_at or args.steps
    log_file = (args.run_dir / "log.csv").open("a", newline="") if rank == 0 else None
    log = csv.writer(log_file) if log_file else None
    if log_file and log_file.tell() == 0:
        log.writerow(["step", "level", "n", "loss", "bpp", "mse", "psnr", "lr", "wall_s"])
    host = hardware(device, world) if rank == 0 else None
    t_start, t_saved = time.time(), time.time()
    wall0 = info["wall_s"]
    acc = {}
    bar = tqdm(total=stop_at, initial=info["step"], disable=rank != 0, mininterval=20, desc=model.name)
    step = info["step"]
    while step < stop_at:
        x, level = bank.batch(args.seed, step, args.batch, args.crop, rank, world, model.cfg.levels)
        # The entropy models draw quantization noise from the global RNG: seed it per step, so resume is exact.
        torch.manual_seed(args.seed * 1_000_003 + step * 97 + rank)
        lr = learning_rate(step, args)
        for g in opt.param_groups:
            g["lr"] = lr * g["lr_scale"]
        rd, aux, bpp, mse = wrapped(x.to(device, non_blocking=True), level)
        opt.zero_grad(set_to_none=True)
        aux_opt.zero_grad(set_to_none=True)
        (rd + aux).backward()
        if args.clip:
            torch.nn.utils.clip_grad_norm_(main_params, args.clip)
        opt.step()
        aux_opt.step()
        step += 1
        if ema is not None and step > args.ema_from * args.steps:
            ema.update_parameters(model)  # the first update copies the weights
        bar.update(1)
        a = acc.setdefault(level, [0, 0.0, 0.0, 0.0])
        a[0] += 1; a[1] += rd.item(); a[2] += bpp.item(); a[3] += mse.item()
        elapsed = time.time() - t_start
        last = step >= stop_at or (args.max_minutes and elapsed > args.max_minutes * 60)
        if rank == 0 and (step % args.log_every == 0 or last):
            for lv, (n, l, b, m) in sorted(acc.items()):
                log.writerow([step, lv + 1, n, f"{l / n:.5f}", f"{b / n:.5f}", f"{m / n:.7f}",
                              f"{10 * math.log10(1 / max(m / n, 1e-10)):.3f}", f"{lr:.3e}", f"{wall0 + elapsed:.1f}"])
            log_file.flush()
            acc.clear()
        if rank == 0 and (last or time.time() - t_saved > args.save_minutes * 60):
            info.update(step=step, wall_s=wall0 + elapsed, hardware=host)
            save_state(state_path, model, {"main": opt, "aux": aux_opt}, info, extras)
            t_saved = time.time()
        if last:
            break
    bar.close()
    if rank == 0 and args.export and step >= args.steps:
        export(ema.module if ema is not None else model, info, args)
    if world > 1:
        dist.destroy_process_group()
    return model


def hardware(device, world: int) -> str:
    """What trained a stage; on the CPU with the host's matmul speed, measured before training starts, so that
    wall times are read beside it (``s2c.host``)."""
    if device.type == "cuda":
        return f"{world} x {torch.cuda.get_device_name(device)}"
    return (f"{world} process(es) x {torch.get_num_threads()} threads, {cpu_name()}, "
            f"fp32 matmul {matmul_gflops()} GFLOP/s")


def export(model, info: dict, args) -> None:
    model = model.cpu().eval()
    card = {"training": {"steps": info["step"], "wall_s": round(info["wall_s"], 1), "hardware": info.get("hardware"),
                         "recipe": info["recipe"], "init_from": info.get("init_from"),
                         "data": str(Path(args.data).name), "lambdas": list(LAMBDAS)},
            "date": time.strftime("%Y-%m-%d")}
    save_checkpoint(model, card, args.export)
    print(json.dumps({"exported": model.name, "steps": info["step"]}))


if __name__ == "__main__":
    main()
