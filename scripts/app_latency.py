"""Upload-to-first-reconstruction time of the Compress & inspect page, with the model already cached.

Drives the real page through streamlit's AppTest (script time on this server; the browser's transfer of the
page is not included). Writes results/app_latency.json.
Usage: .venv/bin/python scripts/app_latency.py [kodim05 kodim15 kodim23 ...]
"""
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import torch
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
KODAK = ROOT.parent / "shared" / "data" / "kodak"


def upload_and_time(at: AppTest, path: Path) -> float:
    uploader = at.file_uploader(key="img_upload")
    uploader.upload(path.name, path.read_bytes(), "image/png")
    t0 = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - t0
    assert not at.exception and at.metric, f"the page failed on {path.name}"
    return elapsed


def main(names):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.switch_page("pages/compress.py").run()
    at.radio(key="img_source").set_value("Upload").run()
    upload_and_time(at, KODAK / "kodim01.png")  # loads and caches the model: not counted
    seconds = {n: round(upload_and_time(at, KODAK / f"{n}.png"), 3) for n in names}
    result = {"what": "AppTest script time from upload to the page with the reconstruction and its figures, "
                      "model cached, default settings (s2c-conv-lite, quality 3)",
              "machine": f"{platform.machine()}, torch threads {torch.get_num_threads()}",
              "seconds": seconds, "median_s": statistics.median(seconds.values())}
    out = ROOT / "results" / "app_latency.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:] or ["kodim05", "kodim15", "kodim23"])
