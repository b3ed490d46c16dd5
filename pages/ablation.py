import streamlit as st

import s2c
import ui
from s2c.complexity import count_params
from s2c.session import run_learned, zoom

st.title("Identity ablation")
st.markdown(
    "Two different experiments. **Trained without spatial operators**: S2C-Identity learned its weights with no "
    "spatial mixing at all. **Knocked out**: a model trained *with* spatial operators has some of them removed at "
    "inference time; its other weights still expect them, so the drop is larger than what training without them "
    "costs. The paper's claim concerns the first; the second shows how much each stage relies on spatial mixing.")
picked, variants = ui.image_and_models()
if picked:
    image, name, key = picked
    quality = st.slider("Quality", 1.0, 6.0, 3.0, 0.5)
    st.subheader("Trained variants on this image")
    runs = {v: ui.codec_run(key, image, v, quality) for v in variants}
    ref = runs.get("s2c-identity")
    rows = []
    for v, r in runs.items():
        row = {"model": v, "bpp": round(r.bpp, 4), "PSNR (dB)": round(r.psnr, 2), "decode (ms)": round(r.dec_ms),
               "params (M)": round(count_params(ui.model(v)) / 1e6, 2)}
        if ref is not None:
            row |= {"PSNR vs Identity (dB)": round(r.psnr - ref.psnr, 2),
                    "bpp vs Identity (%)": round(100 * (r.bpp / ref.bpp - 1), 1),
                    "decode vs Identity (x)": round(r.dec_ms / ref.dec_ms, 2)}
        rows.append(row)
    st.dataframe(rows, hide_index=True)
    st.caption("One image at one quality; decode times are single runs on this server. For the full picture see "
               "R-D & latency (Kodak BD-rates, medians of several runs).")

    st.subheader("Live knock-out")
    spatial = [v for v in variants if v != "s2c-identity"]
    if not spatial:
        st.info("Needs a trained Conv, Attention or Hybrid checkpoint.")
        st.stop()
    target = st.selectbox("Model", spatial)
    all_out = st.checkbox("Knock out all (the paper's experiment, at inference time)")
    cols = st.columns(6)
    ticked = [s for s, col in zip(s2c.STAGE_NAMES, cols) if col.checkbox(s, disabled=all_out, key=f"ko_{s}")]
    stages = list(s2c.STAGE_NAMES) if all_out else ticked
    st.caption("enc1/dec1 run at 1/2 resolution, enc2/dec2 at 1/4, enc3/dec3 at 1/8.")
    base = ui.codec_run(key, image, target, quality)
    if stages:
        ablated = s2c.knock_out(ui.model(target), stages)  # a copy: the cached model is never changed
        run = run_learned(ablated, image, quality)
        m = st.columns(3)
        m[0].metric("PSNR", f"{run.psnr:.2f} dB", f"{run.psnr - base.psnr:+.2f} dB")
        m[1].metric("bpp", f"{run.bpp:.4f}", f"{run.bpp - base.bpp:+.4f}", delta_color="inverse")
        m[2].metric("decode", f"{run.dec_ms:.0f} ms", f"{run.dec_ms - base.dec_ms:+.0f} ms", delta_color="inverse")
        h, w = image.shape[:2]
        c = st.columns(3)
        c[0].image(zoom(image, w // 2, h // 2, 128, 3), caption="original", output_format="PNG")
        c[1].image(zoom(base.recon, w // 2, h // 2, 128, 3), caption=f"{target} intact", output_format="PNG")
        c[2].image(zoom(run.recon, w // 2, h // 2, 128, 3), caption=f"knocked out: {', '.join(stages)}",
                   output_format="PNG")
    else:
        st.info("Tick stages to replace their spatial operator with identity.")
