import streamlit as st

import s2c
import ui
from s2c.imageio import png_bytes
from s2c.session import error_map, run_classical_matched, zoom

st.title("Compress & inspect")
picked, variants = ui.image_and_models()
if picked:
    image, name, key = picked
    c1, c2 = st.columns([1, 2])
    variant = c1.selectbox("Model", variants, index=ui.index_or_first(variants, "s2c-conv"))
    quality = c2.slider("Quality (1 = smallest file, 6 = best; continuous)", 1.0, 6.0, 3.0, 0.1)
    run = ui.codec_run(key, image, variant, quality)
    row = st.container(horizontal=True, gap="large")  # wraps on narrow screens, never cuts a value
    row.metric("File", f"{len(run.data):,} B", width="content")
    row.metric("bpp", f"{run.bpp:.3f}", width="content")
    row.metric("PSNR", f"{run.psnr:.2f} dB", width="content")
    row.metric("MS-SSIM", "n/a" if run.ms_ssim is None else f"{run.ms_ssim:.4f}", width="content")
    row.metric("Encode", f"{run.enc_ms:.0f} ms", width="content")
    row.metric("Decode", f"{run.dec_ms:.0f} ms", width="content")
    st.caption("Sizes are real .s2c file bytes (header included); times are this run on this server (2 threads).")
    ui.compare_slider(image, run.recon, ("original", f"{variant} q{quality:g}"))

    st.subheader("Zoom and error")
    h, w = image.shape[:2]
    z1, z2, z3, z4 = st.columns(4)
    size = z1.select_slider("Region size", [16, 32, 64, 128], value=64)
    zx = z2.slider("x", 0, max(0, w - 1), w // 2)
    zy = z3.slider("y", 0, max(0, h - 1), h // 2)
    channel = z4.selectbox("Error of", ["luma", "R", "G", "B"])
    cols = st.columns(3)
    cols[0].image(zoom(image, zx, zy, size), caption="original", output_format="PNG", width="stretch")
    cols[1].image(zoom(run.recon, zx, zy, size), caption="reconstruction", output_format="PNG", width="stretch")
    cols[2].image(zoom(error_map(image, run.recon, channel), zx, zy, size), caption=f"|error| x4 ({channel})",
                  output_format="PNG", width="stretch")
    with st.expander("Full error map"):
        st.image(error_map(image, run.recon, channel), output_format="PNG", width="stretch")

    st.subheader("Matched size: classical codecs at the largest quality that fits in the same bytes")
    if st.toggle("Run the matched-size comparison", value=False):
        with st.spinner("Searching each codec's quality ..."):
            rivals = run_classical_matched(image, len(run.data))
        table = [{"codec": f"{variant} (ours)", "quality": f"{quality:g}", "bytes": len(run.data),
                  "bpp": round(run.bpp, 4), "PSNR": round(run.psnr, 2)}]
        table += [{"codec": r.name, "quality": r.quality, "bytes": len(r.data), "bpp": round(r.bpp, 4),
                   "PSNR": round(r.psnr, 2)} for r in rivals]
        st.dataframe(table, hide_index=True)
        shown = [r for r in rivals if r.data]
        cols = st.columns(len(shown) + 1)
        cols[0].image(zoom(run.recon, zx, zy, size), caption=f"ours {run.psnr:.2f} dB", output_format="PNG")
        for col, r in zip(cols[1:], shown):
            col.image(zoom(r.recon, zx, zy, size), caption=f"{r.name} {r.psnr:.2f} dB", output_format="PNG")

    d1, d2 = st.columns(2)
    d1.download_button("Download .s2c", run.data, file_name=f"{name.rsplit('.', 1)[0]}.s2c")
    d2.download_button("Download reconstruction (PNG)", lambda: png_bytes(run.recon),  # encoded on click
                       file_name=f"{name.rsplit('.', 1)[0]}_{variant}_q{quality:g}.png")

st.subheader("Decode a .s2c file")
up = st.file_uploader("A .s2c file made by S2C Lab", type=None, key="s2c_upload")
if up is not None:
    try:
        header, _ = s2c.bitstream.unpack(up.getvalue())
        model = ui.model(header.variant, header.preset)
        if model is None:
            raise s2c.BitstreamError(f"this file needs {header.variant}-{header.preset}, which is not shipped")
        dec = s2c.decompress(up.getvalue(), model)
        st.image(dec.image, caption=f"{header.variant}-{header.preset}, quality {header.quality:g}, "
                 f"{header.width}x{header.height}, decoded in {dec.timings['total_ms']:.0f} ms", output_format="PNG")
    except s2c.S2CError as e:
        st.error(f"{up.name}: {e}")
