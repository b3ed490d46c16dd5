"""Model registry, creation and safe (safetensors, no pickle) checkpoint loading and saving."""
import hashlib
import json
import os
from pathlib import Path
from typing import Dict, Optional, Tuple

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from .codec import S2CCodec
from .config import VARIANTS, CodecConfig, make_config
from .errors import CheckpointError

CHECKPOINT_DIR = Path(os.environ.get("S2C_CHECKPOINT_DIR") or Path(__file__).resolve().parent.parent / "checkpoints")


def list_models():
    return list(VARIANTS)


def create_model(variant: str, preset: str = "lite", **overrides) -> S2CCodec:
    """A fresh, untrained model (timm-style ``create_model``)."""
    return S2CCodec(make_config(variant, preset, **overrides))


def checkpoint_paths(variant: str, preset: str, directory: Optional[Path] = None) -> Tuple[Path, Path]:
    base = Path(directory or CHECKPOINT_DIR) / f"{variant}-{preset}"
    return base.with_suffix(".safetensors"), base.with_suffix(".json")


def state_hash(model: torch.nn.Module) -> str:
    """sha256 of the parameters: identifies exactly which weights made a bitstream.

    Buffers are left out: the entropy coder's CDF tables are derived from the parameters (and are built lazily).
    """
    h = hashlib.sha256()
    for name, t in sorted(model.named_parameters()):
        h.update(name.encode())
        h.update(t.detach().cpu().contiguous().numpy().tobytes())
    return h.hexdigest()


def model_id(model: S2CCodec) -> str:
    """Weights hash cached on the model. Set at load time; computed for untrained models.

    A knocked-out copy (s2c.ablation) gets a hash of its own: its bitstreams need the same knock-out to decode.
    """
    knocked = getattr(model, "knocked_out", ())
    if knocked:
        return hashlib.sha256((model_id_base(model) + ",".join(knocked)).encode()).hexdigest()
    return model_id_base(model)


def model_id_base(model: S2CCodec) -> str:
    cached = getattr(model, "_s2c_hash", None)
    if cached is None:
        cached = state_hash(model)
        model._s2c_hash = cached
    return cached


def file_hash(path: Path) -> str:
    """sha256 of a checkpoint file's bytes, as its model card records it (``file_sha256``)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@torch.no_grad()
def round_to_half(model: S2CCodec) -> None:
    """Rounds parameters to float16 precision in place, so the shipped file loads back bit-exactly."""
    for p in model.parameters():
        p.copy_(p.half().float())


def save_checkpoint(model: S2CCodec, card: Dict, directory: Optional[Path] = None) -> Tuple[Path, Path]:
    """Writes <variant>-<preset>.safetensors and the JSON model card.

    Parameters are stored as float16 (half the size; the model is rounded first, then its entropy-coder
    tables are rebuilt, so what is saved is exactly what loads). Buffers (CDF and scale tables) stay exact:
    encoder and decoder must index the same tables.
    """
    round_to_half(model)
    model.update(force=True)
    weights, card_path = checkpoint_paths(model.cfg.variant, model.cfg.preset, directory)
    weights.parent.mkdir(parents=True, exist_ok=True)
    params = {name for name, _ in model.named_parameters()}
    tensors = {k: (v.half() if k in params else v).detach().cpu().contiguous() for k, v in model.state_dict().items()}
    save_file(tensors, str(weights), metadata={"config": json.dumps(model.cfg.to_dict())})
    full = {**card, "variant": model.cfg.variant, "preset": model.cfg.preset, "config": model.cfg.to_dict(),
            "weights_sha256": state_hash(model), "file_sha256": file_hash(weights)}
    card_path.write_text(json.dumps(full, indent=2) + "\n")
    return weights, card_path


def read_card(variant: str, preset: str = "lite", directory: Optional[Path] = None) -> Dict:
    _, card_path = checkpoint_paths(variant, preset, directory)
    if not card_path.exists():
        raise CheckpointError(f"no model card for {variant}-{preset} at {card_path}")
    try:
        return json.loads(card_path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise CheckpointError(f"model card {card_path.name} is not valid JSON: {e}") from None


def load_weights(path: Path) -> Tuple[Dict[str, torch.Tensor], Dict]:
    try:
        from safetensors import safe_open
        with safe_open(str(path), "pt") as f:
            meta = f.metadata() or {}
        tensors = {k: v.float() if v.dtype == torch.float16 else v for k, v in load_file(str(path)).items()}
        return tensors, meta
    except (SafetensorError, OSError, ValueError, RuntimeError) as e:
        raise CheckpointError(f"{path.name} is not a readable safetensors file ({e})") from None


def model_from_weights(path: Path, expect: Optional[CodecConfig] = None) -> S2CCodec:
    tensors, meta = load_weights(path)
    try:
        cfg = CodecConfig.from_dict(json.loads(meta["config"]))
    except (KeyError, json.JSONDecodeError, TypeError) as e:
        raise CheckpointError(f"{path.name} carries no valid model config ({e})") from None
    if expect is not None and (cfg.variant, cfg.preset) != (expect.variant, expect.preset):
        raise CheckpointError(
            f"{path.name} holds {cfg.variant}-{cfg.preset}, not {expect.variant}-{expect.preset}")
    model = S2CCodec(cfg)
    try:
        model.load_state_dict(tensors)
    except (RuntimeError, KeyError) as e:
        first = str(e).strip().splitlines()[:3]
        raise CheckpointError(f"{path.name} does not match the {cfg.variant}-{cfg.preset} model: "
                              + " ".join(first)) from None
    model._s2c_hash = state_hash(model)
    return model.channels_last().eval()


def load_pretrained(variant: str, preset: str = "lite", directory: Optional[Path] = None) -> S2CCodec:
    """Our trained checkpoint, verified against its model card, ready for real entropy coding."""
    weights, _ = checkpoint_paths(variant, preset, directory)
    make_config(variant, preset)  # clear error for unknown names
    if not weights.exists():
        raise CheckpointError(
            f"no trained checkpoint for {variant}-{preset} ({weights.name} missing). "
            "Train one with `python -m s2c train`, or use an untrained model explicitly.")
    model = model_from_weights(weights, expect=make_config(variant, preset))
    card = read_card(variant, preset, directory)
    if card.get("weights_sha256") not in (None, model._s2c_hash):
        raise CheckpointError(f"{weights.name} does not match its model card (weights hash differs): "
                              "the file was changed or corrupted")
    return model


def has_pretrained(variant: str, preset: str = "lite", directory: Optional[Path] = None) -> bool:
    return checkpoint_paths(variant, preset, directory)[0].exists()
