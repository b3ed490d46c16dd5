import streamlit as st

import s2c
from ui import SAMPLES, available_variants

st.title("S2C Lab")
st.markdown(
    "**S2CFormer** (arXiv 2502.00700) asks what really matters in transformer-based learned image compression. "
    "Its answer: the **channel aggregation** (the FFN), far more than the expensive **spatial interaction** "
    "(attention). Replace the spatial operator with identity and rate-distortion barely moves, while decoding "
    "gets much faster. This lab lets you test that claim on your own images, with real bitstreams.")
st.graphviz_chart("""
digraph { rankdir=LR; node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontname="sans-serif"];
  x [label="x", shape=plaintext, style=""]; s [label="Spatial interaction\\nidentity | dw-conv | window attn"];
  p1 [label="+", shape=circle, width=0.3]; n [label="LayerNorm"]; f [label="FFN\\n(channel aggregation)", fillcolor="#fde9d9"];
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
trained = available_variants()
if len(trained) < len(s2c.S2C_VARIANTS):
    missing = sorted(set(s2c.S2C_VARIANTS) - set(trained))
    st.info(f"Trained checkpoints present: {', '.join(trained) or 'none'}. Still training: {', '.join(missing)}.")
st.subheader("Sample images")
cols = st.columns(len(SAMPLES))
for col, path in zip(cols, SAMPLES):
    col.image(str(path), caption=path.stem, width="stretch")
st.caption("Kodak PhotoCD test images (Eastman Kodak; see assets/samples/kodak_RIGHTS.USE). Evaluation only, "
           "never used for training. Pick one, or upload your own, in the sidebar of each page.")
