"""Ships a uniform "weight soup" as a round: each variant becomes the mean of its checkpoints from earlier rounds.

    .venv/bin/python scripts/soup.py 28 DIR_A DIR_B DIR_C        # writes checkpoints/ (or --out DIR)
    (each DIR holds every <variant>-lite.safetensors + .json, e.g. from `git show <round's commit>:checkpoints/...`)

Successive low-LR rounds from one start end at nearby points of one basin; their mean often sits lower in it than
any one of them (stochastic weight averaging, Izmailov et al. 2018), at no training cost. Only parameters are
averaged (buffers hold constants and the entropy coder's tables, which `save_checkpoint` rebuilds from the mean).
The card is the newest input's, with a "soup" stage of 0 steps in round N naming its inputs. Then, as after a
training round: python -m s2c evaluate --update --classical --cards, transform_ceiling.py, round_history.py.
"""
import argparse
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from s2c.cards import lineage_totals, stage_entry, stages  # noqa: E402
from s2c.config import S2C_VARIANTS  # noqa: E402
from s2c.host import machine  # noqa: E402
from s2c.rounds import round_of  # noqa: E402
from s2c.zoo import checkpoint_paths, file_hash, model_from_weights, read_card, save_checkpoint  # noqa: E402


@torch.no_grad()
def mean_model(paths):
    """The first checkpoint's model with every parameter replaced by its mean over all of them."""
    models = [model_from_weights(p) for p in paths]
    params = [dict(m.named_parameters()) for m in models]
    for name, p in models[0].named_parameters():
        p.copy_(torch.stack([ps[name] for ps in params]).mean(0))
    return models[0]


def soup_card(card: dict, round_no: int, inputs: list, wall_s: float) -> dict:
    """The newest input's card with a 0-step "soup" stage of ``round_no`` appended to its lineage."""
    rounds = ", ".join(str(r) for r, _ in inputs)
    training = {**card["training"], "steps": 0, "wall_s": round(wall_s, 1), "hardware": machine(),
                "recipe": {"soup_of": [r for r, _ in inputs]},
                "init_from": f"uniform mean of the round {rounds} checkpoints (scripts/soup.py)", "data": None}
    training["history"] = stages(card) + [stage_entry(training, round_no, "soup", card["variant"])]
    training.update(lineage_totals(training["history"]))
    out = {k: v for k, v in card.items() if k != "kodak"}  # measured again by evaluate --cards
    return {**out, "training": training, "soup": {
        "method": "uniform mean of parameters; entropy-coder tables rebuilt from it",
        "of": [{"round": r, "file_sha256": sha} for r, sha in inputs]}}


def soup(variant: str, dirs, round_no: int, out: Path, preset: str = "lite") -> Path:
    t0 = time.perf_counter()
    paths = [checkpoint_paths(variant, preset, d)[0] for d in dirs]
    cards = [read_card(variant, preset, d) for d in dirs]
    newest = max(cards, key=round_of)
    if round_no <= round_of(newest):
        raise SystemExit(f"round {round_no} is not after the inputs' rounds "
                         f"({', '.join(str(round_of(c)) for c in cards)})")
    model = mean_model(paths)
    inputs = [(round_of(c), file_hash(p)) for c, p in zip(cards, paths)]
    card = soup_card(newest, round_no, inputs, time.perf_counter() - t0)
    weights, _ = save_checkpoint(model.eval(), card, out)
    return weights


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("round", type=int, help="the round the soup is shipped as")
    ap.add_argument("dirs", nargs="+", type=Path, help="folders of checkpoints from earlier rounds")
    ap.add_argument("--out", type=Path, default=ROOT / "checkpoints")
    args = ap.parse_args(argv)
    if len(args.dirs) < 2:
        ap.error("a soup needs checkpoints from at least two rounds")
    for v in S2C_VARIANTS:
        print(soup(v, args.dirs, args.round, args.out))


if __name__ == "__main__":
    main()
