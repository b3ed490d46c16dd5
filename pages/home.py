import streamlit as st

import s2c
from s2c.cards import training_summary
from ui import SAMPLES, available_variants, current_image

st.title("S2C Lab")
st.markdown(
    "**S2CFormer** (arXiv 2502.00700) asks what really matters in transformer-based learned image compression. "
    "Its answer: the **channel aggregation** (the FFN), far more than the expensive **spatial interaction** "
    "(attention). Replace the spatial operator with identity and rate-distortion barely moves, while decoding "
    "gets much faster. This lab lets you test that claim on your own images, with real bitstreams.")
st.graphviz_chart("""
digraph { rankdir=LR; node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontname="sans-serif"];
  x [label="x", shape=plaintext, style=""]; s [label="Spatial interaction\\nidentity | dw-conv | window attn"];
  p1 [label="+", shape=circle, width=0.3]; n [label="LayerNorm"];
  f [label="FFN\\n(channel aggregation)", fillcolor="#fde9d9"];
  p2 [label="+", shape=circle, width=0.3]; o [label="out", shape=plaintext, style=""];
  x -> s -> p1; x -> p1; p1 -> n -> f -> p2; p1 -> p2; p2 -> o; }""")
st.caption("One S2CFormer block: spatial interaction, then channel aggregation, each with a residual.")
c1, c2 = st.columns(2)
with c1:
    st.subheader("The family")
    for v in s2c.S2C_VARIANTS:
        st.markdown(f"- {s2c.config.DESCRIPTIONS[v]}")
with c2:
    st.subheader("Where to start")
    st.page_link("pages/compress.py", label="Compress an image and inspect the artifacts", icon=":material/search:")
    st.page_link("pages/ablation.py", label="Knock out spatial operators live", icon=":material/extension:")
    st.page_link("pages/bits.py", label="See where the bits go", icon=":material/bar_chart:")
    st.page_link("pages/rd_latency.py", label="Rate-distortion and latency", icon=":material/show_chart:")
current_image()  # the sidebar picker: an upload made here is used by every page
trained = available_variants()
if len(trained) < len(s2c.S2C_VARIANTS):
    missing = sorted(set(s2c.S2C_VARIANTS) - set(trained))
    st.info(f"Trained checkpoints present: {', '.join(trained) or 'none'}. Still training: {', '.join(missing)}.")
st.subheader("How far our checkpoints are trained")
st.dataframe(training_summary(s2c.S2C_VARIANTS), hide_index=True)
st.caption("Our own checkpoints, trained by `python -m s2c train` on 2 CPU cores; training continues across "
           "sessions. 'own steps': with the variant's own spatial operators, after a shared S2C-Identity trunk. "
           "Kodak figures are real file sizes measured by `python -m s2c evaluate`; BD-rate < 0 means fewer bits "
           "than the classical codec at equal PSNR (n/a: the PSNR ranges overlap too little). "
           "Until the checkpoints are trained much longer they trail the classical codecs: judge the *relative* "
           "differences between variants, which is the paper's question.")
st.subheader("Sample images")
cols = st.columns(len(SAMPLES))
for col, path in zip(cols, SAMPLES):
    col.image(str(path), caption=path.stem, width="stretch")
st.caption("Kodak PhotoCD test images (Eastman Kodak; see assets/samples/kodak_RIGHTS.USE). Evaluation only, "
           "never used for training. Pick one, or upload your own, in the sidebar of each page.")
