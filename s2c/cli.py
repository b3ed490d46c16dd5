"""Command line: python -m s2c {compress,decompress,info,train,evaluate,bench} ... (each has --help)."""
import argparse
import sys
from pathlib import Path

from .errors import S2CError

UNTRAINED_SEED = 0


def get_model(variant: str, preset: str, untrained: bool):
    import torch

    from .zoo import create_model, load_pretrained
    if untrained:
        torch.manual_seed(UNTRAINED_SEED)  # the same untrained weights every time, so files decode
        print(f"note: using UNTRAINED {variant}-{preset} weights (seed {UNTRAINED_SEED}); "
              "the reconstruction will be poor", file=sys.stderr)
        return create_model(variant, preset).eval()
    return load_pretrained(variant, preset)


def cmd_compress(args) -> int:
    from .api import compress
    from .imageio import load_image
    image, notes = load_image(args.input)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    model = get_model(args.variant, args.preset, args.untrained)
    enc = compress(model, image, args.quality)
    out = args.output or Path(args.input).with_suffix(".s2c")
    Path(out).write_bytes(enc.data)
    h, w = image.shape[:2]
    print(f"{out}: {len(enc.data)} bytes, {len(enc.data) * 8 / (h * w):.4f} bpp, {w}x{h}, "
          f"{model.name} quality {args.quality:g}, encoded in {enc.timings['total_ms']:.0f} ms")
    return 0


def cmd_decompress(args) -> int:
    from PIL import Image

    from .api import decompress
    from .bitstream import unpack
    try:
        data = Path(args.input).read_bytes()
    except OSError as e:
        raise S2CError(f"cannot read {args.input}: {e.strerror}") from None
    model = None
    if args.untrained:
        header, _ = unpack(data)
        model = get_model(header.variant, header.preset, True)
    dec = decompress(data, model)
    out = args.output or Path(args.input).with_suffix(".png")
    Image.fromarray(dec.image).save(out)
    print(f"{out}: {dec.header.width}x{dec.header.height}, {dec.header.variant}-{dec.header.preset} "
          f"quality {dec.header.quality:g}, decoded in {dec.timings['total_ms']:.0f} ms")
    return 0


def cmd_info(args) -> int:
    from .complexity import complexity_table
    from .config import DESCRIPTIONS, PRESETS, S2C_VARIANTS
    from .zoo import create_model, has_pretrained, read_card
    print(f"{'model':<24}{'params':>10}{'kMAC/px':>10}{'g_a':>8}{'entropy':>9}{'g_s':>8}  checkpoint")
    for preset in PRESETS:
        for variant in S2C_VARIANTS + (["swin"] if args.all else []):
            model = create_model(variant, preset).eval()
            row = complexity_table([model])[model.name]
            ckpt = "-"
            if has_pretrained(variant, preset):
                steps = read_card(variant, preset).get("training", {}).get("steps")
                ckpt = f"trained, {steps} steps"
            print(f"{model.name:<24}{row['params'] / 1e6:>9.2f}M{row['total']:>10.1f}{row['g_a']:>8.1f}"
                  f"{row['entropy']:>9.1f}{row['g_s']:>8.1f}  {ckpt}")
    print("\nkMAC/px counted by torch.utils.flop_counter on a 256x256 input (forward pass).")
    for variant in S2C_VARIANTS:
        print(f"  {DESCRIPTIONS[variant]}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from .config import PRESETS, VARIANTS
    p = argparse.ArgumentParser(prog="python -m s2c", description="S2C Lab: S2CFormer learned image codecs")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("compress", help="image -> .s2c file")
    c.add_argument("input")
    c.add_argument("-o", "--output")
    c.add_argument("--variant", default="s2c-conv", choices=[v for v in VARIANTS if v.startswith("s2c-")])
    c.add_argument("--preset", default="lite", choices=list(PRESETS))
    c.add_argument("--quality", type=float, default=3.0, help="1 (smallest) .. 6 (best), continuous")
    c.add_argument("--untrained", action="store_true", help="allow untrained weights (for testing)")
    c.set_defaults(func=cmd_compress)
    d = sub.add_parser("decompress", help=".s2c file -> PNG")
    d.add_argument("input")
    d.add_argument("-o", "--output")
    d.add_argument("--untrained", action="store_true", help="decode a file made with --untrained")
    d.set_defaults(func=cmd_decompress)
    i = sub.add_parser("info", help="parameters, kMAC/pixel and checkpoints of every model")
    i.add_argument("--all", action="store_true", help="include the Swin-style reference")
    i.set_defaults(func=cmd_info)
    for name, module, text in (("train", "train", "train a model (see --help)"),
                               ("evaluate", "evaluate", "Kodak R-D evaluation -> results/kodak.json"),
                               ("bench", "bench", "latency benchmark -> results/bench.json")):
        s = sub.add_parser(name, help=text, add_help=False)
        s.set_defaults(module=module)
    return p


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if argv and argv[0] in ("train", "evaluate", "bench"):
        return reporting_errors(lambda: run_module(argv[0], argv[1:]))
    args = parser.parse_args(argv)
    return reporting_errors(lambda: args.func(args))


def run_module(name: str, argv) -> int:
    import importlib
    importlib.import_module(f"s2c.{name}").main(argv)  # their mains return results, not an exit status
    return 0


def reporting_errors(command) -> int:
    """Runs a command; an expected failure becomes one 'error:' line and an exit status, not a traceback."""
    try:
        return command()
    except S2CError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"error: {e.strerror or e}: {getattr(e, 'filename', '') or ''}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
