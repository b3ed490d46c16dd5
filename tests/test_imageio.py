import io

import numpy as np
import pytest
from conftest import tiny_model
from PIL import Image

import s2c

MODEL = tiny_model("s2c-identity")


def png_bytes(img: Image.Image, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=kw.pop("format", "PNG"), **kw)
    return buf.getvalue()


@pytest.mark.parametrize("h,w", [(1, 1), (17, 33), (512, 768), (768, 512)])
def test_any_size_round_trips(h, w, rng):
    image = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    enc = s2c.compress(MODEL, image, 3.0)
    assert enc.header.height == h and enc.header.width == w
    out = s2c.decompress(enc.data, MODEL).image
    assert out.shape == (h, w, 3) and out.dtype == np.uint8


def test_grayscale_becomes_rgb():
    g = Image.fromarray(np.arange(64 * 48, dtype=np.uint8).reshape(48, 64) % 251)
    rgb, notes = s2c.load_image(png_bytes(g))
    assert rgb.shape == (48, 64, 3) and (rgb[..., 0] == rgb[..., 2]).all()
    assert any("grayscale" in n for n in notes)


def test_rgba_alpha_composited_on_white():
    a = np.zeros((8, 8, 4), np.uint8)
    a[..., 0] = 200
    a[:4, :, 3] = 255  # top half opaque red-ish, bottom half transparent
    rgb, notes = s2c.load_image(png_bytes(Image.fromarray(a, "RGBA")))
    assert (rgb[:4, :, 0] == 200).all() and (rgb[4:] == 255).all()
    assert any("alpha" in n for n in notes)


def test_16bit_png_reduced_to_8bit():
    a = (np.linspace(0, 65535, 32 * 32).reshape(32, 32)).astype(np.uint16)
    rgb, notes = s2c.load_image(png_bytes(Image.fromarray(a)))
    assert rgb.dtype == np.uint8 and rgb.max() == 255 and rgb.min() == 0
    assert any("16-bit" in n for n in notes)


def test_palette_and_cmyk():
    p = Image.fromarray(np.zeros((5, 5, 3), np.uint8)).convert("P")
    assert s2c.load_image(png_bytes(p))[0].shape == (5, 5, 3)
    c = Image.new("CMYK", (6, 4), (0, 255, 0, 0))
    rgb, notes = s2c.load_image(png_bytes(c, format="JPEG"))
    assert rgb.shape == (4, 6, 3) and any("CMYK" in n for n in notes)


def test_exif_orientation_applied():
    img = Image.fromarray(np.zeros((10, 20, 3), np.uint8))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees on display
    rgb, notes = s2c.load_image(png_bytes(img, format="JPEG", exif=exif.tobytes()))
    assert rgb.shape == (20, 10, 3)
    assert any("EXIF" in n for n in notes)


@pytest.mark.parametrize("data", [b"", b"hello world", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40])
def test_not_an_image(data):
    with pytest.raises(s2c.ImageInputError):
        s2c.load_image(data)


def test_truncated_image():
    data = png_bytes(Image.fromarray(np.full((64, 64, 3), 7, np.uint8)), format="JPEG")
    with pytest.raises(s2c.ImageInputError):
        s2c.load_image(data[: len(data) // 2])


def test_decompression_bomb_refused(monkeypatch):
    monkeypatch.setattr(s2c.imageio, "MAX_PIXELS", 100)
    with pytest.raises(s2c.ImageInputError, match="MP|bomb"):
        s2c.load_image(png_bytes(Image.new("RGB", (20, 20))))


def test_missing_file():
    with pytest.raises(s2c.ImageInputError, match="not found"):
        s2c.load_image("/nonexistent/picture.png")
