"""Function-preserving warm start of any S2C variant from a trained S2C-Identity trunk.

Every spatial branch is residual: with its last layer at zero it is the identity, and a gated FFN with its
gate fixed at 1 (and depthwise conv at identity) is the plain MLP FFN. So a Conv, Attention or Hybrid model
warm-started here computes *exactly* the trunk's function at step 0, and all variants continue training
from the same point: a fair comparison that saves one trunk training per variant.
"""
from typing import Dict

import torch

from .codec import S2CCodec
from .layers import GatedFFN, MlpFFN


@torch.no_grad()
def warm_start(model: S2CCodec, trunk: Dict[str, torch.Tensor]) -> None:
    own = model.state_dict()
    used = set()
    for key, value in trunk.items():
        if key in own and own[key].shape == value.shape:
            own[key].copy_(value)
            used.add(key)
    for name, module in model.named_modules():
        if isinstance(module, GatedFFN):
            dim = module.fc2.out_channels
            mlp = MlpFFN(dim, module.hidden / dim)
            mlp.load_state_dict({k: trunk[f"{name}.{k}"] for k in mlp.state_dict()})
            module.init_from_mlp(mlp)
            used.update(f"{name}.{k}" for k in mlp.state_dict())
        elif hasattr(module, "zero_last"):
            module.zero_last()
    unused = [k for k in trunk if k not in used]
    if unused:
        raise ValueError(f"trunk weights not used by {model.name}: {unused[:5]}")
