"""The inference fast paths compute what the plain paths compute (issue: latency)."""
import numpy as np
import torch
import torch.nn.functional as F
from compressai.entropy_models import GaussianConditional
from conftest import tiny_model

import s2c
from s2c.entropy import FastGaussianConditional
from s2c.layers import LayerNorm2d, MlpFFN
from s2c.spatial import WindowAttention, window_masks


def test_searchsorted_scale_indexes_equal_compressai():
    table = torch.exp(torch.linspace(np.log(0.11), np.log(256.0), 64)).tolist()
    fast, ref = FastGaussianConditional(None), GaussianConditional(None)
    fast.update_scale_table(table)
    ref.update_scale_table(table)
    t = fast.scale_table
    scales = torch.cat([torch.rand(20000) * 300, t, t * (1 + 1e-6), t * (1 - 1e-6), torch.zeros(3)]).view(1, -1, 1, 1)
    assert torch.equal(fast.build_indexes(scales), ref.build_indexes(scales))


def test_row_chunked_ffn_equals_conv_path():
    torch.manual_seed(0)
    norm, ffn = LayerNorm2d(24), MlpFFN(24, 4.0)
    torch.nn.init.normal_(norm.weight)
    x = torch.randn(2, 24, 13, 11).contiguous(memory_format=torch.channels_last)
    with torch.no_grad():
        plain = x + ffn(norm(x))
        rows = ffn.residual_rows(x, norm, rows=50)  # 286 pixels: several chunks and a ragged last one
    assert torch.allclose(plain, rows, atol=1e-5)


def test_masked_windows_are_recomputed_exactly():
    """Attention over all windows with the full mask == unmasked windows + masked subset recomputed."""
    torch.manual_seed(0)
    h, w, n_win = 29, 37, 4 * 5  # padded to 32 x 40
    attn = WindowAttention(32, window=8, shift=4)
    torch.nn.init.normal_(attn.rel_bias)
    qkv = torch.randn(3, 2 * n_win, attn.heads, 64, 32 // attn.heads)  # 2 images
    bias = attn.rel_bias[:, attn.rel_index].unsqueeze(0)
    idx, masks = window_masks(h, w, 8, 4)
    full = torch.zeros(n_win, 64, 64)
    full[idx] = masks
    expected = F.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], attn_mask=bias + full.repeat(2, 1, 1)[:, None])
    assert torch.allclose(attn._attend(qkv, bias, 2, h, w), expected, atol=1e-6)
    assert set(idx.tolist()) < set(range(n_win))  # interior windows need no mask


def test_no_mask_without_padding_or_shift():
    assert window_masks(16, 24, 8, 0) is None
    assert window_masks(16, 24, 8, 4) is not None


def test_channels_last_model_round_trips_exactly(photo):
    model = tiny_model("s2c-attention").channels_last()
    enc = s2c.compress(model, photo, 2.5)
    plain = s2c.compress(tiny_model("s2c-attention"), photo, 2.5)
    assert enc.header.weights_hash == plain.header.weights_hash  # same values, other layout
    assert np.array_equal(s2c.decompress(enc.data, model).image, s2c.decompress(enc.data, model).image)


def test_fast_path_does_the_same_multiply_adds():
    """kMAC/px in `info` and the bench must not change because inference takes the row-chunked path."""
    from torch.utils.flop_counter import FlopCounterMode
    model = tiny_model("s2c-conv")
    y = torch.rand(1, 32, 4, 4)

    def flops(grad: bool) -> int:
        with torch.set_grad_enabled(grad), FlopCounterMode(display=False) as counter:
            model.g_s(y)
        return counter.get_total_flops()

    assert flops(True) == flops(False) > 0
