"""Training state (weights + optimizers) as safetensors + JSON: exact resume without pickle."""
import json
import os
from pathlib import Path
from typing import Dict, Optional, Tuple

import torch
from safetensors.torch import load_file, save_file


def _flatten_optimizer(prefix: str, opt: torch.optim.Optimizer) -> Tuple[Dict[str, torch.Tensor], Dict]:
    sd = opt.state_dict()
    tensors, scalars = {}, {}
    for idx, st in sd["state"].items():
        for k, v in st.items():
            if torch.is_tensor(v):
                tensors[f"{prefix}.{idx}.{k}"] = v.detach().cpu().contiguous()
            else:
                scalars[f"{idx}.{k}"] = v
    return tensors, {"param_groups": sd["param_groups"], "scalars": scalars}


def _unflatten_optimizer(prefix: str, tensors: Dict[str, torch.Tensor], meta: Dict) -> Dict:
    state: Dict[int, Dict] = {}
    for key, v in tensors.items():
        if key.startswith(prefix + "."):
            idx, name = key[len(prefix) + 1:].split(".", 1)
            state.setdefault(int(idx), {})[name] = v
    for key, v in meta["scalars"].items():
        idx, name = key.split(".", 1)
        state.setdefault(int(idx), {})[name] = v
    return {"state": state, "param_groups": meta["param_groups"]}


def _module_tensors(prefix: str, module: torch.nn.Module) -> Dict[str, torch.Tensor]:
    return {f"{prefix}.{k}": v.detach().cpu().contiguous() for k, v in module.state_dict().items()}


def save_state(path: Path, model: torch.nn.Module, optimizers: Dict[str, torch.optim.Optimizer], info: Dict,
               extras: Optional[Dict[str, torch.nn.Module]] = None):
    """Atomically writes <path>.safetensors and <path>.json; ``extras`` are further modules (a weight average)."""
    tensors = _module_tensors("model", model)
    for name, module in (extras or {}).items():
        tensors.update(_module_tensors(name, module))
    meta = {"info": info, "optimizers": {}}
    for name, opt in optimizers.items():
        t, m = _flatten_optimizer(f"optim.{name}", opt)
        tensors.update(t)
        meta["optimizers"][name] = m
    path = Path(path)
    tmp_w, tmp_j = path.with_suffix(".safetensors.tmp"), path.with_suffix(".json.tmp")
    save_file(tensors, str(tmp_w))
    tmp_j.write_text(json.dumps(meta, indent=1))
    os.replace(tmp_w, path.with_suffix(".safetensors"))
    os.replace(tmp_j, path.with_suffix(".json"))


def _prefixed(prefix: str, tensors: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    return {k[len(prefix) + 1:]: v for k, v in tensors.items() if k.startswith(prefix + ".")}


def load_state(path: Path, model: torch.nn.Module, optimizers: Dict[str, torch.optim.Optimizer]) -> Dict:
    path = Path(path)
    tensors = load_file(str(path.with_suffix(".safetensors")))
    meta = json.loads(path.with_suffix(".json").read_text())
    model.load_state_dict(_prefixed("model", tensors))
    for name, opt in optimizers.items():
        opt.load_state_dict(_unflatten_optimizer(f"optim.{name}", tensors, meta["optimizers"][name]))
    return meta["info"]


def load_extras(path: Path, extras: Dict[str, torch.nn.Module]) -> None:
    """Restores the extra modules save_state wrote; one the state does not hold (saved without it) stays as it is."""
    tensors = load_file(str(Path(path).with_suffix(".safetensors")))
    for name, module in extras.items():
        saved = _prefixed(name, tensors)
        if saved:
            module.load_state_dict(saved)
