import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

PAGES = ["home", "compress", "bits", "ablation", "rd_latency", "model"]


def page(name: str) -> AppTest:
    """The app as a user reaches a page: through app.py's navigation."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page(f"pages/{name}.py")
    return at


@pytest.mark.parametrize("name", PAGES)
def test_page_runs_without_exception(name):
    at = page(name).run()
    assert not at.exception, [e.value for e in at.exception]


def test_entry_point_runs():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert any("S2C Lab" in t.value for t in at.title)


def test_ablation_sessions_do_not_leak():
    """Two sessions alternating knock-outs see the same numbers as each alone (cached model untouched)."""
    import ui
    if len([v for v in ui.available_variants() if v != "s2c-identity"]) == 0:
        pytest.skip("needs a trained checkpoint with spatial operators")
    a, b = page("ablation").run(), page("ablation").run()
    def quality_figures(at):  # PSNR and bpp with their deltas; timings vary run to run
        return [(m.label, m.value, m.delta) for m in at.metric if m.label in ("PSNR", "bpp")]

    a.checkbox(key="ko_enc1").check().run()
    alone = quality_figures(a)
    assert len(alone) == 2
    b.checkbox(key="ko_dec3").check().run()
    a.run()
    assert quality_figures(a) == alone
    assert quality_figures(b) != alone
    fresh = page("ablation").run()
    fresh.checkbox(key="ko_enc1").check().run()
    assert quality_figures(fresh) == alone


def test_knock_out_all_runs_every_stage():
    import ui
    if not [v for v in ui.available_variants() if v != "s2c-identity"]:
        pytest.skip("needs a trained checkpoint with spatial operators")
    at = page("ablation").run()
    at.checkbox[0].check().run()  # "Knock out all"
    assert not at.exception
    assert [m.label for m in at.metric] == ["PSNR", "bpp", "decode"]
    assert not any("Tick stages" in i.value for i in at.info)


def upload_page(name: str, filename: str, content: bytes) -> AppTest:
    at = page(name).run()
    at.radio(key="img_source").set_value("Upload").run()
    at.file_uploader(key="img_upload").upload(filename, content, "image/png").run()
    return at


def test_upload_runs_the_codec():
    import ui
    if not ui.available_variants():
        pytest.skip("needs a trained checkpoint")
    at = upload_page("compress", "kodim05.png", (ROOT / "assets" / "samples" / "kodim05.png").read_bytes())
    assert not at.exception
    assert [m.label for m in at.metric][:3] == ["File", "bpp", "PSNR"]


@pytest.mark.parametrize("content", [b"not an image at all", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64])
def test_hostile_upload_gets_a_clear_message(content):
    at = upload_page("compress", "evil.png", content)
    assert not at.exception
    assert any("evil.png" in e.value for e in at.error)


def small_png() -> bytes:
    import io

    from PIL import Image
    crop = Image.open(ROOT / "assets" / "samples" / "kodim05.png").crop((256, 128, 448, 256))
    buf = io.BytesIO()
    crop.save(buf, format="PNG")
    return buf.getvalue()


def test_upload_persists_across_pages_until_forgotten():
    at = upload_page("home", "mine.png", small_png())
    assert not at.exception
    at.switch_page("pages/model.py").run()
    at.switch_page("pages/ablation.py").run()
    assert not at.exception
    assert any("mine.png" in c.value for c in at.sidebar.caption)
    at.button(key="forget_upload").click().run()
    assert "uploaded_image" not in at.session_state
    assert any("Upload an image" in i.value for i in at.sidebar.info)


def test_home_and_model_card_show_training_progress():
    import ui
    if not ui.available_variants():
        pytest.skip("needs a trained checkpoint")
    home = page("home").run()
    summary = home.dataframe[0].value
    assert list(summary["model"]) == [f"{v}-lite" for v in ui.available_variants()]
    card = page("model").run()
    stages = card.dataframe[0].value
    assert stages["steps"].sum() == summary["steps"].iloc[0]
    assert stages["round"].is_monotonic_decreasing  # newest first: the latest round needs no scrolling
    progress = card.dataframe[-1].value  # what each stage bought: one row per stage that trained
    trained = stages[stages["steps"] > 0]  # a soup stage averages weights: 0 steps, no log rows
    assert list(zip(progress["round"], progress["stage"])) == list(zip(trained["round"], trained["stage"]))


def test_model_card_draws_the_transform_ceiling_measured_on_its_checkpoint():
    import ui
    import s2c
    from s2c.ceiling import measured_on, read_ceiling
    variant = ui.available_variants()[0] if ui.available_variants() else None
    ceiling = variant and read_ceiling(f"{variant}-lite")
    if not ceiling:
        pytest.skip("needs a checkpoint and results/ceiling.json")
    card = page("model").run()
    assert not card.exception
    caption = next(c.value for c in card.caption if "ceiling" in c.value)
    if measured_on(ceiling, s2c.read_card(variant, "lite")):
        assert f"{ceiling['ceiling_psnr']:.2f} dB" in caption
        assert len(card.get("plotly_chart")) == 4  # the ceiling chart, the rounds chart, two training curves
    else:
        assert "another checkpoint" in caption


def test_model_card_follows_every_checkpoint_round_by_round_against_the_chosen_rival():
    from s2c.rounds import read_rounds
    history = read_rounds()
    if not history:
        pytest.skip("needs results/rounds.json")
    card = page("model").run()
    webp = chart_named(card, "round by round")
    names = {name for e in history for name in e["models"]}
    assert {t["name"] for t in webp["data"]} == names
    assert "WebP" in webp["layout"]["title"]["text"]
    assert len([c for c in card.caption if "of the bits ratio to WebP" in c.value]) == 1  # s2c.pace
    card.radio(key="rounds_rival").set_value("S2C-Identity").run()
    assert not [c for c in card.caption if "of the bits ratio" in c.value]
    against_identity = chart_named(card, "round by round")
    assert {t["name"] for t in against_identity["data"]} == names - {"s2c-identity-lite"}
    latest = history[-1]["models"]["s2c-conv-lite"]["bd_rate_psnr"]["s2c-identity-lite"]
    conv = next(t for t in against_identity["data"] if t["name"] == "s2c-conv-lite")
    assert conv["x"][-1] == history[-1]["round"] and conv["y"][-1] == pytest.approx(latest)
    card.select_slider(key="rounds_since").set_value(history[-2]["round"]).run()
    recent = next(t for t in chart_named(card, "round by round")["data"] if t["name"] == "s2c-conv-lite")
    assert recent["x"] == [history[-2]["round"], history[-1]["round"]]


def chart_named(at: AppTest, title_part: str) -> dict:
    """The plotly figure (as JSON) whose title contains ``title_part``."""
    import json
    figures = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return next(f for f in figures if title_part in f["layout"]["title"]["text"].lower())


def rd_page_after_click(label: str) -> AppTest:
    """The R-D page with a small upload, after clicking ``label`` (skips without trained checkpoints)."""
    import ui
    if not ui.available_variants():
        pytest.skip("needs a trained checkpoint")
    at = upload_page("rd_latency", "small.png", small_png())
    at.button[[b.label for b in at.button].index(label)].click().run()
    assert not at.exception
    return at


def test_live_latency_measures_every_variant():
    import ui
    at = rd_page_after_click("Measure every trained variant")
    name, runs, rows = at.session_state["live_latency"]
    assert name == "small.png" and runs == 3
    assert set(rows) == {f"{v}-lite" for v in ui.available_variants()}
    assert all(r["dec_ms"] > 0 and r["dec_transform_ms"] > 0 for r in rows.values())


def test_live_rd_curves_table_reads_as_percent():
    import re

    import ui
    at = rd_page_after_click("Compute R-D curves on this image")
    curves = at.session_state["live_curves"]
    assert set(ui.available_variants()) <= set(curves) and "webp" in curves
    assert all(len(c["bpp"]) == len(c["psnr"]) > 0 for c in curves.values())
    table = next(d.value for d in at.dataframe if "BD-rate vs webp" in d.value.columns)
    cells = list(table["BD-rate vs webp"])
    assert len(cells) == len(curves) - 1
    assert all(re.fullmatch(r"[+-]\d+\.\d%|n/a", c) for c in cells), cells
