"""S2C Lab: entry point (st.navigation)."""
import streamlit as st

st.set_page_config(page_title="S2C Lab", page_icon=":material/science:", layout="wide")

pages = [
    st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("pages/compress.py", title="Compress & inspect", icon=":material/search:"),
    st.Page("pages/bits.py", title="Bit allocation", icon=":material/bar_chart:"),
    st.Page("pages/ablation.py", title="Identity ablation", icon=":material/extension:"),
    st.Page("pages/rd_latency.py", title="R-D & latency", icon=":material/show_chart:"),
    st.Page("pages/model.py", title="Model card", icon=":material/description:"),
]
st.navigation(pages).run()
