"""The .s2c container: a small header, the rANS strings, and a CRC32 over everything.

Layout (little-endian), format version 1:
    magic "S2CF" | version u8 | variant (u8 len + ascii) | preset (u8 len + ascii) | weights hash 8 bytes |
    quality f32 | height u32 | width u32 | pad_h u8 | pad_w u8 | y_h u16 | y_w u16 | z_h u16 | z_w u16 |
    n_strings u8 | n x length u32 | strings | crc32 u32
"""
import struct
import zlib
from dataclasses import dataclass
from typing import List, Tuple

from .errors import BitstreamError

MAGIC = b"S2CF"
VERSION = 1
MAX_SIDE = 1 << 15


@dataclass(frozen=True)
class Header:
    variant: str
    preset: str
    weights_hash: bytes  # first 8 bytes of the weights' sha256
    quality: float
    height: int
    width: int
    pad: Tuple[int, int]
    y_shape: Tuple[int, int]
    z_shape: Tuple[int, int]


def _short_str(s: str) -> bytes:
    b = s.encode("ascii")
    return struct.pack("<B", len(b)) + b


def pack(header: Header, strings: List[bytes]) -> bytes:
    body = b"".join([
        MAGIC, struct.pack("<B", VERSION), _short_str(header.variant), _short_str(header.preset),
        header.weights_hash, struct.pack("<fIIBB", header.quality, header.height, header.width, *header.pad),
        struct.pack("<4H", *header.y_shape, *header.z_shape), struct.pack("<B", len(strings)),
        struct.pack(f"<{len(strings)}I", *map(len, strings)), *strings,
    ])
    return body + struct.pack("<I", zlib.crc32(body))


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise BitstreamError("the file is truncated (it ends inside the header)")
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def unpack(self, fmt: str):
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))

    def short_str(self) -> str:
        (n,) = self.unpack("<B")
        try:
            return self.take(n).decode("ascii")
        except UnicodeDecodeError:
            raise BitstreamError("the header is damaged (unreadable model name)") from None


def unpack(data: bytes) -> Tuple[Header, List[bytes]]:
    """Parses and checks a .s2c file; any problem raises BitstreamError with a readable reason."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise BitstreamError("expected the bytes of a .s2c file")
    data = bytes(data)
    if len(data) < len(MAGIC) + 1 or data[:4] != MAGIC:
        raise BitstreamError("not an S2C Lab file (.s2c): wrong magic bytes")
    if data[4] != VERSION:
        raise BitstreamError(f"unsupported .s2c format version {data[4]} (this build reads version {VERSION})")
    if len(data) < 9:
        raise BitstreamError("the file is truncated")
    (crc,) = struct.unpack("<I", data[-4:])
    if zlib.crc32(data[:-4]) != crc:
        raise BitstreamError("the file is corrupted or truncated (CRC32 check failed)")
    r = _Reader(data[:-4])
    r.take(5)
    variant, preset = r.short_str(), r.short_str()
    weights_hash = r.take(8)
    quality, height, width, pad_h, pad_w = r.unpack("<fIIBB")
    y_h, y_w, z_h, z_w = r.unpack("<4H")
    (n,) = r.unpack("<B")
    lengths = r.unpack(f"<{n}I")
    if r.pos + sum(lengths) != len(r.data):
        raise BitstreamError("the file is damaged: string lengths do not match the file size")
    strings = [r.take(k) for k in lengths]
    header = Header(variant, preset, weights_hash, quality, height, width, (pad_h, pad_w), (y_h, y_w), (z_h, z_w))
    check_geometry(header)
    return header, strings


def check_geometry(h: Header) -> None:
    if not (1 <= h.height <= MAX_SIDE and 1 <= h.width <= MAX_SIDE):
        raise BitstreamError(f"the header is damaged: image size {h.width}x{h.height} is out of range")
    ph, pw = h.height + h.pad[0], h.width + h.pad[1]
    if ph % 64 or pw % 64 or h.pad[0] >= 64 or h.pad[1] >= 64:
        raise BitstreamError("the header is damaged: inconsistent padding")
    if h.y_shape != (ph // 16, pw // 16) or h.z_shape != (ph // 64, pw // 64):
        raise BitstreamError("the header is damaged: latent shapes do not match the image size")
