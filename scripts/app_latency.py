"""Upload-to-first-reconstruction time of the Compress & inspect page, with the model already cached.

Drives the real page through streamlit's AppTest (script time on this server; the browser's transfer of the
page is not included). Writes results/app_latency.json. The images must not be the app's samples: the page
caches results by image content, and the default sample has already been compressed when the page opens.
Usage: .venv/bin/python scripts/app_latency.py [kodim02 kodim03 ...]
"""
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import torch
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from s2c.evaluate import KODAK  # noqa: E402
from s2c.host import machine, matmul_gflops  # noqa: E402


def upload_and_time(at: AppTest, path: Path) -> float:
    uploader = at.file_uploader(key="img_upload")
    uploader.upload(path.name, path.read_bytes(), "image/png")
    t0 = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - t0
    assert not at.exception and at.metric, f"the page failed on {path.name}"
    return elapsed


def main(names):
    samples = {p.stem for p in (ROOT / "assets" / "samples").glob("*.png")}
    if samples & set(names):
        raise SystemExit(f"{sorted(samples & set(names))} are app samples (cached results): pick other images")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.switch_page("pages/compress.py").run()
    at.radio(key="img_source").set_value("Upload").run()
    upload_and_time(at, KODAK / "kodim04.png")  # loads and caches the model: not counted
    seconds = {n: round(upload_and_time(at, KODAK / f"{n}.png"), 3) for n in names}
    result = {"what": "AppTest script time from upload to the page with the reconstruction and its figures, "
                      "model cached, default settings (s2c-conv-lite, quality 3)",
              "machine": machine(), "threads": torch.get_num_threads(), "date": date.today().isoformat(),
              "matmul_gflops": matmul_gflops(),
              "seconds": seconds, "median_s": statistics.median(seconds.values())}
    out = ROOT / "results" / "app_latency.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:] or ["kodim02", "kodim03", "kodim08", "kodim20", "kodim24"])
