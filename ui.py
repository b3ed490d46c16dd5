"""Streamlit glue shared by the pages: cached models, the current image, and small widgets."""
import json
from pathlib import Path

import numpy as np
import streamlit as st

import s2c
from s2c.imageio import png_data_uri
from s2c.session import DEFAULT_MAX_PIXELS, fit_to_budget, image_hash, run_learned

ROOT = Path(__file__).resolve().parent
SAMPLES = sorted((ROOT / "assets" / "samples").glob("*.png"))
UPLOAD = "uploaded_image"  # session-state key: (file name, bytes) of the user's upload, shared by all pages


@st.cache_resource(show_spinner="Loading model ...")
def model(variant: str, preset: str = "lite"):
    """Shared across sessions: never mutate it (ablations use s2c.knock_out copies)."""
    if not s2c.has_pretrained(variant, preset):
        return None
    return s2c.load_pretrained(variant, preset)


def index_or_first(options: list, preferred) -> int:
    """A selectbox's default: ``preferred``'s position among ``options``, else the first."""
    return options.index(preferred) if preferred in options else 0


def available_variants():
    return [v for v in s2c.S2C_VARIANTS if s2c.has_pretrained(v, "lite")]


@st.cache_data(show_spinner="Compressing ...", max_entries=64)
def codec_run(key: str, _image: np.ndarray, variant: str, quality: float):
    return run_learned(model(variant), _image, quality)


def current_image():
    """Sidebar picker: a sample or an upload. Returns (image, name, key) or None with a message shown."""
    with st.sidebar:
        st.subheader("Image")
        source = st.radio("Source", ["Sample", "Upload"], horizontal=True, key="img_source",
                          index=1 if UPLOAD in st.session_state else 0)
        if source == "Sample":
            names = [p.name for p in SAMPLES]
            name = st.selectbox("Sample (Kodak)", names, index=index_or_first(names, "kodim23.png"))
            image, notes = s2c.load_image(ROOT / "assets" / "samples" / name)
        else:
            picked = uploaded_image()
            if picked is None:
                return None
            image, notes, name = picked
        for note in notes:
            st.caption(f"Note: {note}")
        h, w = image.shape[:2]
        if h * w > DEFAULT_MAX_PIXELS:
            how = st.radio(f"{w}x{h} is over 2 MP; to keep the app responsive:", ["downscale", "crop", "keep"],
                           horizontal=True, key="big_image")
            if how != "keep":
                image = fit_to_budget(image, DEFAULT_MAX_PIXELS, how)
                st.caption(f"Using {image.shape[1]}x{image.shape[0]} ({how}).")
        st.caption(f"{name}: {image.shape[1]}x{image.shape[0]}")
    return image, name, image_hash(image)


def uploaded_image():
    """The uploader, or the image uploaded earlier in this session (kept across pages until forgotten)."""
    up = st.file_uploader("PNG, JPEG, WebP, TIFF, BMP ...", type=None, key="img_upload")
    if up is not None:
        st.session_state[UPLOAD] = (up.name, up.getvalue())
    if UPLOAD not in st.session_state:
        st.info("Upload an image, or choose Sample.")
        return None
    name, data = st.session_state[UPLOAD]
    try:
        image, notes = s2c.load_image(data)
    except s2c.ImageInputError as e:
        del st.session_state[UPLOAD]
        st.error(f"{name}: {e}")
        return None
    if up is None:
        st.caption(f"Using {name}, uploaded earlier in this session.")
        if st.button(f"Forget {name}", key="forget_upload"):
            del st.session_state[UPLOAD]
            st.rerun()
    return image, notes, name


@st.cache_data(max_entries=16, show_spinner=False)
def _inline_png(image: np.ndarray) -> str:
    """Cached: the slider redraws on every interaction with the page, its two images rarely change."""
    return png_data_uri(image)


def compare_slider(left: np.ndarray, right: np.ndarray, labels=("original", "reconstruction"), height: int = 520):
    """Before/after slider, lossless PNGs inline; a few lines of our own JS, nothing from a CDN."""
    a, b = (_inline_png(x) for x in (left, right))
    h, w = left.shape[:2]
    html = f"""
<style>
  #c img {{position:absolute;inset:0;width:100%;height:100%;image-rendering:pixelated}}
  #c span {{position:absolute;top:6px;color:#fff;font:13px sans-serif;text-shadow:0 0 3px #000}}
  #clip {{position:absolute;inset:0;clip-path:inset(0 0 0 50%)}}
  #bar {{position:absolute;top:0;bottom:0;left:50%;width:2px;background:#fff;box-shadow:0 0 3px #000}}
</style>
<div style="max-width:min(100%, {height * w // h}px)">
<div style="position:relative;width:100%;aspect-ratio:{w}/{h};user-select:none" id="c">
  <img src="{a}">
  <div id="clip"><img src="{b}"></div>
  <div id="bar"></div>
  <span style="left:8px">{labels[0]}</span>
  <span style="right:8px">{labels[1]}</span>
</div>
<input type="range" min="0" max="100" value="50" style="width:100%;margin:6px 0 0 0" id="r"
       aria-label="compare position">
</div>
<script>
const r=document.getElementById('r'),c=document.getElementById('clip'),b=document.getElementById('bar');
r.oninput=()=>{{c.style.clipPath='inset(0 0 0 '+r.value+'%)';b.style.left=r.value+'%';}};
</script>"""
    st.iframe(html)  # sized to its content: the picture (at most ``height`` px) and the range input under it


def image_and_models():
    """The sidebar's image (or None) and the trained variants; stops the page if there are none."""
    picked = current_image()
    variants = available_variants()
    if not variants:
        st.warning("No trained checkpoint is committed yet: nothing to run.")
        st.stop()
    return picked, variants


def result(name: str, command: str):
    """results/<name>.json, or None with a hint to run the command that writes it."""
    path = ROOT / "results" / f"{name}.json"
    if not path.exists():
        st.info(f"No results/{name}.json yet: run `python -m s2c {command}`.")
        return None
    return json.loads(path.read_text())


def _leave_pages_folder_mode() -> None:
    """A deep link (say /compress) that is a fresh server's first request runs its page alone, in Streamlit's old
    pages/-folder mode: no app.py, so no navigation titles and no wide layout, until some run calls st.navigation.
    Leave that server-wide mode and run the request again, through app.py."""
    from streamlit.runtime.pages_manager import PagesManager  # Streamlit has no public switch for this mode
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


_leave_pages_folder_mode()  # at import: the mode is server-wide, and every page imports this module
