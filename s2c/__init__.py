"""S2C Lab: the S2CFormer family of learned image codecs (spatial interaction -> channel aggregation)."""
import warnings

# compressai 1.2.8 calls torch.jit.script at import, which torch 2.14 flags as deprecated: noise for our users.
warnings.filterwarnings("ignore", message=r".*torch\.jit\.script.*", category=FutureWarning)
from .ablation import knock_out, stages_with_spatial
from .api import Decoded, Encoded, compress, decompress
from .codec import S2CCodec
from .config import LAMBDAS, PRESETS, S2C_VARIANTS, STAGE_NAMES, VARIANTS, CodecConfig, make_config
from .errors import BitstreamError, CheckpointError, ImageInputError, S2CError
from .imageio import load_image
from .zoo import create_model, has_pretrained, list_models, load_pretrained, read_card

__all__ = [
    "BitstreamError", "CheckpointError", "CodecConfig", "Decoded", "Encoded", "ImageInputError", "LAMBDAS",
    "PRESETS", "S2CCodec", "S2CError", "S2C_VARIANTS", "STAGE_NAMES", "VARIANTS", "compress", "create_model",
    "decompress", "has_pretrained", "knock_out", "list_models", "load_image", "load_pretrained", "make_config",
    "read_card", "stages_with_spatial",
]
