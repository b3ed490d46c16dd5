"""Reading user images into 8-bit RGB (with a note for every conversion) and padding for the codec."""
import base64
import io
import warnings
from pathlib import Path
from typing import List, Tuple, Union

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import ImageInputError

MAX_PIXELS = 40_000_000  # beyond this a CPU codec would take minutes and many GiB: refuse clearly
Source = Union[str, Path, bytes, io.IOBase]


def _open(source: Source) -> Image.Image:
    fp = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(fp)
            if img.width * img.height > MAX_PIXELS:
                raise ImageInputError(
                    f"image is {img.width}x{img.height} ({img.width * img.height / 1e6:.0f} MP); "
                    f"the limit is {MAX_PIXELS / 1e6:.0f} MP")
            img.load()
        return img
    except ImageInputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise ImageInputError(f"refused: possible decompression bomb ({e})") from None
    except UnidentifiedImageError:
        raise ImageInputError("not an image file that Pillow can read (PNG, JPEG, WebP, TIFF, BMP, ...)") from None
    except FileNotFoundError:
        raise ImageInputError(f"file not found: {source}") from None
    except (OSError, SyntaxError, ValueError) as e:
        raise ImageInputError(f"the image file is damaged or truncated ({e})") from None


def _to_rgb8(img: Image.Image, notes: List[str]) -> np.ndarray:
    mode = img.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        a = np.asarray(img, dtype=np.float64)
        peak = 65535.0 if mode.startswith("I;16") or a.max() > 255 else 255.0
        notes.append(f"{'16-bit' if peak > 255 else mode} grayscale reduced to 8-bit RGB")
        g = np.clip(np.round(a / peak * 255.0), 0, 255).astype(np.uint8)
        return np.repeat(g[..., None], 3, axis=2)
    if mode in ("RGBA", "LA", "PA", "RGBa", "La") or (mode == "P" and "transparency" in img.info):
        notes.append("alpha channel removed (composited on white)")
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(white, rgba).convert("RGB"))
    if mode != "RGB":
        label = {"L": "grayscale", "1": "1-bit", "P": "palette", "CMYK": "CMYK", "YCbCr": "YCbCr"}.get(mode, mode)
        notes.append(f"{label} image converted to RGB")
    return np.asarray(img.convert("RGB"))


def load_image(source: Source) -> Tuple[np.ndarray, List[str]]:
    """Any image Pillow reads -> (H, W, 3) uint8 RGB and the list of conversions made, in plain words."""
    img = _open(source)
    notes: List[str] = []
    if getattr(img, "n_frames", 1) > 1:
        notes.append(f"first of {img.n_frames} frames used")
    try:
        orientation = img.getexif().get(0x0112, 1)
    except Exception:  # a broken EXIF block is not worth refusing the image for
        orientation = 1
    if orientation not in (1, None):
        img = ImageOps.exif_transpose(img)
        notes.append(f"EXIF orientation {orientation} applied")
    if getattr(img, "bits", 8) > 8 and img.mode == "RGB":
        notes.append("16-bit samples reduced to 8 bits")
    return np.ascontiguousarray(_to_rgb8(img, notes)), notes


def to_tensor(rgb: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(rgb.copy()).permute(2, 0, 1)[None].float().div_(255.0)


def to_uint8(x: torch.Tensor) -> np.ndarray:
    return x[0].clamp(0, 1).mul(255).round().byte().permute(1, 2, 0).contiguous().numpy()


def pad_to(x: torch.Tensor, multiple: int) -> Tuple[torch.Tensor, Tuple[int, int]]:
    """Replicate-pads bottom/right to a multiple (reflection fails for 1-pixel images)."""
    h, w = x.shape[-2:]
    ph, pw = (-h) % multiple, (-w) % multiple
    if ph or pw:
        x = F.pad(x, (0, pw, 0, ph), mode="replicate")
    return x, (ph, pw)


def png_bytes(image: np.ndarray, compress_level: int = 6) -> bytes:
    """(H, W, 3) uint8 -> lossless PNG bytes (zlib level 0-9: higher is smaller and slower)."""
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="PNG", compress_level=compress_level)
    return buf.getvalue()


def png_data_uri(image: np.ndarray) -> str:
    """The image as an inline, lossless ``data:image/png`` URI (no file, nothing fetched). zlib level 3: about 3x
    faster than the default for ~4% more bytes, which matters because pages redraw these on every interaction."""
    return "data:image/png;base64," + base64.b64encode(png_bytes(image, compress_level=3)).decode()
