"""Browser smoke test: Debian chromium driven by the playwright package loads every page of the real server."""
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason="Debian chromium not installed (apt-get install chromium)")
PAGES = ["", "compress", "bits", "ablation", "rd_latency", "model"]
SHOTS = ROOT / "tests" / ".screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve():
    """A fresh streamlit server of the app; yields its URL."""
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
           "--server.address", "127.0.0.1", "--server.port", str(port), "--server.fileWatcherType", "none",
           "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("streamlit did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def server():
    with serve() as url:
        yield url


def open_browser(p):
    args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"]
    return p.chromium.launch(executable_path=CHROMIUM, args=args)


def test_every_page_loads_without_exception(server):
    from playwright.sync_api import sync_playwright
    # Streamlit scrolls inside its own container, so full_page catches only the viewport: make it tall.
    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = open_browser(p)
        page = browser.new_page(viewport={"width": 1400, "height": 2400})
        for name in PAGES:
            page.goto(f"{server}/{name}")
            page.wait_for_selector('[data-testid="stApp"] [data-testid="stMainBlockContainer"] h1', timeout=90_000)
            for _ in range(2):  # the run starts a moment after the first paint: idle twice, 1.5 s apart
                page.wait_for_timeout(1500)
                page.wait_for_function(
                    "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000)
            page.screenshot(path=str(SHOTS / f"{name or 'home'}.png"), full_page=True)
            assert page.locator('[data-testid="stException"]').count() == 0, f"exception on page {name or 'home'}"
            if name == "compress":
                assert_compare_slider_fits(page)
                assert_compare_slider_moves(page)
        browser.close()


def assert_compare_slider_fits(page):
    """The before/after slider's range input is drawn inside its iframe, not clipped below it."""
    frame = page.locator("iframe").first
    handle = page.frame_locator("iframe").first.locator("input[type=range]")
    handle.wait_for(state="visible", timeout=30_000)
    outer, inner = frame.bounding_box(), handle.bounding_box()
    assert inner["height"] > 0 and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 1


def assert_compare_slider_moves(page):
    """Both pictures fill the frame; moving the range moves the divider and the reconstruction's clip with it."""
    inner = page.frame_locator("iframe").first
    frame = inner.locator("#c").bounding_box()
    for img in inner.locator("#c img").all():
        box = img.bounding_box()
        assert abs(box["width"] - frame["width"]) <= 1 and abs(box["height"] - frame["height"]) <= 1
    inner.locator("#r").fill("20")
    bar = inner.locator("#bar").bounding_box()
    assert abs(bar["x"] - (frame["x"] + 0.2 * frame["width"])) <= 2
    assert inner.locator("#clip").evaluate("e => e.style.clipPath") == "inset(0px 0px 0px 20%)"


def test_a_deep_link_as_a_fresh_servers_first_request_runs_through_app_py():
    """With a pages/ folder beside app.py, Streamlit would run the page alone (file names as navigation)."""
    from playwright.sync_api import sync_playwright
    with serve() as url, sync_playwright() as p:
        browser = open_browser(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}/model")
        page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=90_000)
        nav = page.locator('[data-testid="stSidebarNav"]')
        nav.get_by_text("Compress & inspect").wait_for(timeout=60_000)
        assert nav.get_by_text("rd latency").count() == 0
        assert page.locator("h1").first.inner_text() == "Model card"
        browser.close()
