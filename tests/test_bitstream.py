import time

import pytest
from conftest import tiny_model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import s2c
from s2c.bitstream import MAGIC

MODEL = tiny_model("s2c-conv")
IMAGE = (__import__("numpy").random.default_rng(0).integers(0, 255, (40, 70, 3))).astype("uint8")
VALID = s2c.compress(MODEL, IMAGE, 2.5).data
FUZZ = settings(max_examples=60, deadline=5000, suppress_health_check=[HealthCheck.too_slow])


def decode_or_our_error(data: bytes) -> None:
    t0 = time.perf_counter()
    try:
        s2c.decompress(data, MODEL)
    except s2c.BitstreamError as e:
        assert str(e)
    assert time.perf_counter() - t0 < 5


def test_valid_file_decodes():
    assert s2c.decompress(VALID, MODEL).image.shape == IMAGE.shape


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(1, 255)), min_size=1, max_size=8,
                unique_by=lambda f: f[0]))
def test_byte_flips_are_caught(flips):
    data = bytearray(VALID)
    for pos, xor in flips:
        data[pos] ^= xor
    with pytest.raises(s2c.BitstreamError):
        s2c.decompress(bytes(data), MODEL)


@FUZZ
@given(st.integers(0, len(VALID) - 1))
def test_truncations_are_caught(n):
    with pytest.raises(s2c.BitstreamError):
        s2c.decompress(VALID[:n], MODEL)


@FUZZ
@given(st.binary(max_size=4096))
def test_garbage_never_crashes(data):
    decode_or_our_error(data)


@FUZZ
@given(st.binary(max_size=512))
def test_garbage_after_magic_never_crashes(tail):
    decode_or_our_error(MAGIC + b"\x01" + tail)


def test_wrong_magic():
    with pytest.raises(s2c.BitstreamError, match="magic"):
        s2c.decompress(b"PNG!" + VALID[4:], MODEL)


def test_wrong_checkpoint_is_refused():
    other = tiny_model("s2c-conv", seed=1)
    with pytest.raises(s2c.BitstreamError, match="other s2c-conv-lite weights"):
        s2c.decompress(VALID, other)


def test_wrong_variant_is_refused():
    with pytest.raises(s2c.BitstreamError, match="made by s2c-conv-lite"):
        s2c.decompress(VALID, tiny_model("s2c-identity"))


def test_not_bytes():
    with pytest.raises(s2c.BitstreamError):
        s2c.decompress("hello", MODEL)
