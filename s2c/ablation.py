"""Identity knock-out: a *new* model whose chosen stages skip their spatial operator.

The copy shares every weight and buffer tensor with the original (no memory cost, no training), and the
original is never touched, so a model cached for many app sessions stays intact.
"""
import copy
import itertools
from typing import Iterable

from .codec import S2CCodec
from .config import STAGE_NAMES


def knock_out(model: S2CCodec, stages: Iterable[str]) -> S2CCodec:
    """Returns a copy of ``model`` in which blocks of ``stages`` (e.g. {"enc1", "dec3"}) use identity."""
    stages = set(stages)
    unknown = stages - set(STAGE_NAMES)
    if unknown:
        raise ValueError(f"unknown stage(s) {sorted(unknown)}; choose from {', '.join(STAGE_NAMES)}")
    shared = {id(t): t for t in itertools.chain(model.parameters(), model.buffers())}
    clone = copy.deepcopy(model, memo=shared)
    for stage, block in clone.spatial_blocks():
        if stage in stages:
            block.spatial = None
    clone.knocked_out = tuple(s for s in STAGE_NAMES if s in stages)
    return clone


def stages_with_spatial(model: S2CCodec):
    """Stage names whose blocks have a spatial operator (nothing to knock out in S2C-Identity)."""
    return [s for s in STAGE_NAMES if any(st == s and b.spatial is not None for st, b in model.spatial_blocks())]
