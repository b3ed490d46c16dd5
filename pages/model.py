import streamlit as st

import s2c
import ui
from s2c import figures
from s2c.cards import stage_rows
from s2c.ceiling import ceiling_text, measured_on, read_ceiling
from s2c.config import DESCRIPTIONS
from s2c.curves import read_log, stage_progress
from s2c.pace import RIVALS as PACE_RIVALS
from s2c.pace import pace_of
from s2c.pace import sentence as pace_sentence
from s2c.rounds import bd_series, read_rounds, series_rounds

st.title("Model card")
variant = st.selectbox("Variant", s2c.S2C_VARIANTS)
cfg = s2c.make_config(variant, "lite")
st.markdown(f"**{DESCRIPTIONS[variant]}**")
st.markdown(
    f"- Analysis: 4 stride-2 3x3 convs with stages of {cfg.depths} blocks at widths {cfg.widths} "
    f"(1/2, 1/4, 1/8 resolution), latent M={cfg.M} at 1/16.\n"
    f"- Synthesis mirrors it with transposed convs.\n"
    f"- Spatial operator per stage: {', '.join(cfg.spatial)}; FFN: {cfg.ffn}, ratio {cfg.ffn_ratio:g}.\n"
    f"- Entropy model: hyperprior (N={cfg.N}) + channel groups {list(cfg.groups)} with checkerboard context "
    "(compressai latent codecs), real rANS coding; gain units for 6 rate levels.")
st.markdown(
    "**From the paper:** the block structure (spatial interaction then FFN channel aggregation), the Identity / "
    "Conv / Attention / Hybrid instances, non-shifted window attention, the Hybrid's stage-wise mix with a stronger "
    "FFN. **Our choices** (the paper body is not available to us): kernel sizes, widths and depths, the entropy "
    "model (ELIC-style), gain units, the training recipe and the warm start from a shared Identity trunk.")
if s2c.has_pretrained(variant, "lite"):
    card = s2c.read_card(variant, "lite")
    st.subheader("Training, stage by stage")
    st.dataframe(stage_rows(card)[::-1], hide_index=True)
    st.caption("Newest stage first. Every variant starts from the shared S2C-Identity trunk (its spatial branches "
               "start at zero, so the warm start is exact), then trains its own operators for the same number of "
               "steps with one recipe. Wall time and hardware are as each training host measured them.")
    kodak = card.get("kodak")
    if kodak:
        st.subheader(f"Kodak ({kodak['images']} images, real file bytes)")
        st.dataframe([{"quality": q, "bpp": round(b, 4), "PSNR (dB)": round(p, 2), "MS-SSIM": m and round(m, 4)}
                      for q, b, p, m in zip(kodak["quality"], kodak["bpp"], kodak["psnr"], kodak["ms_ssim"])],
                     hide_index=True)
        ceiling = read_ceiling(f"{variant}-lite")
        if ceiling and measured_on(ceiling, card):
            st.plotly_chart(figures.rd_with_ceiling(kodak, ceiling["ceiling_psnr"], "Kodak mean, under the "
                                                    "transforms' own limit"), width="stretch")
        if ceiling:
            st.caption(ceiling_text(ceiling, card))
    history = read_rounds()
    if history:
        st.subheader("Round by round on Kodak")
        rivals = {"WebP": "webp", "AVIF": "avif", "JPEG": "jpeg", "S2C-Identity": "s2c-identity-lite"}
        rival = st.radio("Against", list(rivals), horizontal=True, key="rounds_rival")
        series = bd_series(history, rivals[rival])
        rounds = series_rounds(series)
        since = st.select_slider("From round", rounds, value=rounds[0], key="rounds_since",
                                 help="Start later to see what the recent rounds moved") if len(rounds) > 1 else 0
        st.plotly_chart(figures.rounds_chart(series, rival, highlight=f"{variant}-lite", since=since),
                        width="stretch")
        paced = rivals[rival] in PACE_RIVALS and f"{variant}-lite" in series
        found = pace_of(f"{variant}-lite", series[f"{variant}-lite"]) if paced else None
        if found:
            st.caption(f"{variant}-lite: " + pace_sentence(found, rivals[rival]) + " (`s2c/pace.py`)")
        st.caption("Every shipped checkpoint after each training round, measured by `python -m s2c evaluate` on the "
                   "24 Kodak images (real file bytes) and kept in `results/rounds.json`. Rounds 3 on continue every "
                   "variant from its own checkpoint with one recipe; a round with a 'soup' stage trained nothing: "
                   "each checkpoint is the mean of its own weights from earlier rounds (`scripts/soup.py`). n/a "
                   "rounds (curves that overlap too little) are left out.")
    with st.expander("The whole model card (JSON)"):
        st.json(card, expanded=False)
    log = ui.ROOT / "checkpoints" / "logs" / f"{variant}-lite.csv"
    if log.exists():
        rows = read_log(log)
        by_level = {}
        for r in sorted(rows, key=lambda r: r["level"]):
            by_level.setdefault(f"level {r['level']}", []).append(r)
        st.caption("Training batches (random crops, noisy): the trunk's steps first, then this variant's own. Each "
                   "stage's batch x crop is in the stage table above (128x128 crops until round 20, 256x256 in round "
                   "19 and from round 21 on): larger crops give other PSNR and bpp, so curves of different crop "
                   "sizes do not line up.")
        c1, c2 = st.columns(2)
        c1.plotly_chart(figures.training_curves(by_level, "psnr", smooth=8), width="stretch")
        c2.plotly_chart(figures.training_curves(by_level, "bpp", smooth=8), width="stretch")
        st.subheader("What each stage bought")
        level = st.select_slider("Rate level", sorted({r["level"] for r in rows}), value=4, key="progress_level")
        st.dataframe(stage_progress(rows, level)[::-1], hide_index=True)
        st.caption("Newest stage first. Means over each stage's first and last 150 steps at this level, weighted by "
                   "the batches each log row averages (training batches: random crops of the stage's size, not "
                   "Kodak). Loss = lambda * 255^2 * MSE + bpp. '± change' is the standard error of last minus "
                   "first: the two ends see different crops, so a change inside it is batch noise. Kodak above is "
                   "the measure that tells rounds apart.")
else:
    st.info("No trained checkpoint for this variant yet.")
st.subheader("Data and licenses")
st.markdown(
    "- Training: `shared/data/train_patches` (1,753 crops from BSDS500, Sun-Hays 80, Unsplash). BSDS500 is for "
    "non-commercial research and education, so our checkpoints are too.\n"
    "- Evaluation: Kodak PhotoCD (never trained on).\n"
    "- Reference curves: CompressAI results, BSD-3-Clause-Clear (`assets/reference/`).")
