import streamlit as st

import ui
from s2c import figures
from s2c.baselines import CODECS
from s2c.bench import bench_s2c
from s2c.metrics import bd_rate, bd_rate_text
from s2c.session import run_classical

st.title("Rate-distortion & latency")
picked = ui.current_image()
tab_kodak, tab_live, tab_latency = st.tabs(["Kodak (measured)", "This image", "Latency"])

with tab_live:
    if picked and st.button("Compute R-D curves on this image"):
        image, name, key = picked
        curves = {}
        jobs = [(v, q) for v in ui.available_variants() for q in range(1, 7)]
        jobs += [(c, q) for c in CODECS for q in CODECS[c].qualities]
        bar = st.progress(0.0, "Encoding ...")
        for i, (codec, q) in enumerate(jobs):
            classical = codec in CODECS
            r = run_classical(CODECS[codec], image, q) if classical else ui.codec_run(key, image, codec, float(q))
            c = curves.setdefault(codec, {"kind": "classical" if classical else "learned", "bpp": [], "psnr": [],
                                          "ms_ssim": []})
            for metric in ("bpp", "psnr", "ms_ssim"):
                c[metric].append(getattr(r, metric))
            bar.progress((i + 1) / len(jobs), f"{codec} q{q}")
        st.session_state["live_curves"] = curves
    curves = st.session_state.get("live_curves")
    if curves:
        st.plotly_chart(figures.rd_curves(curves, "psnr", "PSNR vs bpp (this image)"), width="stretch")
        if all(None not in c["ms_ssim"] for c in curves.values()):
            st.plotly_chart(figures.rd_curves(curves, "ms_ssim", "MS-SSIM vs bpp"), width="stretch")
        names = list(curves)
        anchor = st.selectbox("BD-rate anchor", names, index=ui.index_or_first(names, "webp"))
        a = curves[anchor]
        st.caption(f"BD-rate (PSNR) on this image: the bits each codec spends at equal PSNR, relative to {anchor}; "
                   "negative = fewer bits. n/a: the two curves share too little PSNR range.")
        st.dataframe([{"codec": n, f"BD-rate vs {anchor}": bd_rate_text(
                          bd_rate(a["bpp"], a["psnr"], c["bpp"], c["psnr"]))}
                      for n, c in curves.items() if n != anchor], hide_index=True)

with tab_kodak:
    res = ui.result("kodak", "evaluate")
    if res:
        st.caption(f"Measured by `python -m s2c evaluate` on {res['images']} Kodak images, {res['machine']}, "
                   f"{res['threads']} threads, {res['date']}. VTM and BPG are published reference curves.")
        st.plotly_chart(figures.rd_curves(res["codecs"], "psnr", "Kodak: PSNR vs bpp"), width="stretch")
        st.caption("The view opens on our models' rates; double-click the chart to see every codec's whole curve.")
        st.markdown("**BD-rate (PSNR)**: the bits each model (row) spends at equal PSNR, relative to the column; "
                    "negative = fewer bits than the column. n/a: the two curves share too little PSNR range.")
        st.dataframe(figures.bd_rate_rows(res["bd_rate"]), hide_index=True)

with tab_latency:
    st.markdown("#### Live, on this image and this server")
    runs = st.select_slider("Timed runs (after one warm-up)", [3, 5, 9], value=3)
    if picked and st.button("Measure every trained variant"):
        image, name, key = picked
        bar = st.progress(0.0, "Timing ...")
        rows = {}
        variants = ui.available_variants()
        for i, v in enumerate(variants):
            rows[f"{v}-lite"] = bench_s2c(ui.model(v), image, runs)  # reads the shared model, never changes it
            bar.progress((i + 1) / len(variants), v)
        st.session_state["live_latency"] = (name, runs, rows)
    if "live_latency" in st.session_state:
        name, n, rows = st.session_state["live_latency"]
        st.caption(f"{name}, quality 3: warm-up + median of {n} runs, 2 threads, shared with other users of "
                   "this server (so noisier than the benchmark below).")
        c1, c2 = st.columns(2)
        c1.plotly_chart(figures.latency_bars(rows, "dec"), width="stretch")
        c2.plotly_chart(figures.latency_bars(rows, "enc"), width="stretch")
    st.markdown("#### Benchmark (`python -m s2c bench`)")
    res = ui.result("bench", "bench")
    if res:
        st.caption(f"`python -m s2c bench` on {res['image']}, {res['machine']}, {res['threads']} threads, "
                   f"warm-up + median of {res['runs']} runs. Untrained rows are timing only.")
        rows = {n: r for n, r in res["models"].items() if "dec_transform_ms" in r}
        st.plotly_chart(figures.latency_bars(rows, "dec"), width="stretch")
        st.plotly_chart(figures.latency_bars(rows, "enc"), width="stretch")
        st.dataframe([{"model": n, "trained": r["trained"], "params (M)": round(r["params"] / 1e6, 2),
                       "kMAC/px": r.get("kmac_per_px"), "enc ms": r["enc_ms"], "dec ms": r["dec_ms"]}
                      for n, r in res["models"].items()], hide_index=True)
