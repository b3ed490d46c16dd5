import numpy as np
import streamlit as st

import ui
from s2c import figures
from s2c.analysis import bit_allocation

st.title("Bit allocation")
picked, variants = ui.image_and_models()


@st.cache_data(show_spinner="Analysing the latent ...", max_entries=16)
def allocation(key, _image, variant, quality):
    return bit_allocation(ui.model(variant), _image, quality)


if picked:
    image, name, key = picked
    c1, c2 = st.columns([1, 2])
    variant = c1.selectbox("Model", variants)
    quality = c2.slider("Quality", 1.0, 6.0, 3.0, 0.1)
    ba = allocation(key, image, variant, quality)
    est = ba.estimated_bits
    row = st.container(horizontal=True, gap="large")  # wraps on narrow screens, never cuts a value
    row.metric("Estimated y", f"{est['y'] / 8:,.0f} B", width="content")
    row.metric("Estimated z", f"{est['z'] / 8:,.0f} B", f"{est['z'] / (est['y'] + est['z']):.1%} of the estimate",
               delta_color="off", delta_arrow="off", width="content")
    row.metric("Real file", f"{ba.real_bytes:,} B", f"header {ba.header_bytes} B", delta_color="off",
               delta_arrow="off", width="content")
    row.metric("Real - estimate", f"{ba.real_bytes - sum(est.values()) / 8:+,.0f} B", width="content")
    st.caption("Estimates are -log2(likelihood) summed over the latent. The real file adds the container header, "
               "rANS overhead per coded string (11 strings: 5 groups x 2 checkerboard passes + z) and the cost of "
               "the coder's quantized (table-based) probabilities; on tiny images the header dominates. It can also "
               "come out *smaller* than the estimate: compressai's likelihood floor charges a very improbable value "
               "up to 30 bits, while the rANS coder sends values outside its tables through an escape code of a "
               "few bits.")
    sort = st.toggle("Sort channels by bits")
    st.plotly_chart(figures.bits_per_channel(ba, sort), width="stretch")
    st.plotly_chart(figures.bits_per_group(ba), width="stretch")
    st.subheader("Where in the image")
    ch = st.slider("Channel", 0, ba.y_bits.shape[0] - 1, int(np.argmax(ba.bits_per_channel)))
    c1, c2 = st.columns(2)
    c1.plotly_chart(figures.bits_overlay(image, ba.spatial_bits, "Bits per latent position, all channels"),
                    width="stretch")
    c2.plotly_chart(figures.bits_overlay(image, ba.y_bits[ch], f"Bits of channel {ch}"), width="stretch")
    st.caption("Each latent position codes 16x16 pixels; the map is drawn over the image (cells past its edge "
               "code the padding). Busy textures and edges cost bits, flat sky almost none.")
    c1, c2, c3 = st.columns(3)
    c1.plotly_chart(figures.heatmap(ba.y_hat[ch], f"y-hat, channel {ch}", "RdBu", 0), width="stretch")
    c2.plotly_chart(figures.heatmap(ba.means[ch], "predicted mean", "RdBu", 0), width="stretch")
    c3.plotly_chart(figures.heatmap(ba.scales[ch], "predicted scale", "Viridis"), width="stretch")
