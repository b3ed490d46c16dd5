"""Training state (weights + optimizers) as safetensors + JSON: exact resume without pickle."""
import json
import os
from pathlib import Path
from typing import Dict, Tuple

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


def save_state(path: Path, model: torch.nn.Module, optimizers: Dict[str, torch.optim.Optimizer], info: Dict):
    """Atomically writes <path>.safetensors and <path>.json."""
    tensors = {f"model.{k}": v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
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


def load_state(path: Path, model: torch.nn.Module, optimizers: Dict[str, torch.optim.Optimizer]) -> Dict:
    path = Path(path)
    tensors = load_file(str(path.with_suffix(".safetensors")))
    meta = json.loads(path.with_suffix(".json").read_text())
    model.load_state_dict({k[6:]: v for k, v in tensors.items() if k.startswith("model.")})
    for name, opt in optimizers.items():
        opt.load_state_dict(_unflatten_optimizer(f"optim.{name}", tensors, meta["optimizers"][name]))
    return meta["info"]
