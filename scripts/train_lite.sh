#!/usr/bin/env bash
# Trains the four shipped `lite` checkpoints with one recipe:
#   1. a shared S2C-Identity trunk (TRUNK_STEPS), then
#   2. every variant, Identity included, warm-started from it (function-preserving) for FT_STEPS more.
# Every stage resumes exactly from $RUNS/<stage>/state, so re-running the script continues where it stopped.
# A later round continues the trunk from the committed Identity checkpoint (TRUNK_INIT; weights only, fresh Adam
# moments), or skips the trunk and continues every variant from its own committed checkpoint (OWN_INIT):
#   round 1 (2026-11-25): RUNS=runs TRUNK_STEPS=3000 FT_STEPS=400 SEED=20251125
#   round 2 (2026-11-26): RUNS=runs/r2 TRUNK_INIT=checkpoints/s2c-identity-lite.safetensors TRUNK_STEPS=2000
#                         FT_STEPS=300 SEED=20251126 (new seed: other batches than round 1's). The trunk was
#                         started with 2500 steps and cut to fit the session: stopped at its first save past
#                         2000 (step 2116) and exported from there (constant lr: the same schedule).
#   rounds 3-15 (2026-11-26/27): RUNS=runs/rN OWN_INIT=checkpoints FT_STEPS=650 SEED=20251124+N (round 3: 20251127 ...
#                         round 15: 20251139): no trunk; every variant continues from its own shipped checkpoint,
#                         so the own stages add up (after round N: 300 + (N-2) x 650 steps).
#   round 16 (2026-11-27): the same, SEED=20251140 LR=1e-4: half the peak learning rate of rounds 1-15 (2e-4): at
#                         2e-4, every variant in every round 4-15 spent its peak steps 0.2-1.0 dB (rounds 9-14:
#                         0.6-1.0) under the previous round's last 150 steps (level 4, training batches;
#                         scripts/learning_curves.py, "at peak lr"), and only the decay earned it back.
#   round 17 (2026-11-27): the same at LR=1e-4, SEED=20251141, FT_STEPS=1000: one longer round instead of two
#                         short ones, so the session's Kodak evaluation is paid once (warm-up 100, cosine from 500)
#   round 18 (2026-11-27): the same at LR=1e-4, SEED=20251142, FT_STEPS=500 (cosine from 250): what the rest of
#                         round 17's session had room for
#   round 19 (2026-11-27): on a lent H100 through scripts/device_round.py, not this script: SEED=20251143 LR=1e-4
#                         BATCH=16 CROP=256 (8x the pixels of a step here), 1,950 steps (the probe's fit to
#                         TRAIN_S=440: 0.22 s a step with the four at once; warm-up 100, cosine from 975)
#   round 20 (2026-11-27): back here, LR=1e-4, SEED=20251144, FT_STEPS=650 (batch 8 of 128x128, cosine from
#                         325): whether this recipe's pace per pixel, far above round 19's, survives round 19
#   round 21 (2026-12-02): here, LR=1e-4, SEED=20251145, FT_STEPS=650, BATCH=2 CROP=256: round 20's pixels per
#                         step and schedule, only the crop size changed (4x the area, a quarter of the crops):
#                         whether round 19's gain came from its 256x256 crops rather than from the GPU's pixels
#   round 22 (2026-12-02): round 21 again with SEED=20251146: does its pace repeat
#   round 23 (2026-12-02): LR=1e-4, SEED=20251147, FT_STEPS=300, BATCH=2 CROP=256 (cosine from 150): rounds
#                         21-22's recipe, shortened to what this session's host (3.5x slower a step than round
#                         22's: identity 1.62 s a step, wall / steps in its card) could train and evaluate
#   round 24 (2026-12-02): LR=1e-4, SEED=20251148, FT_STEPS=300, BATCH=2 CROP=256 (cosine from 150): round 23
#                         again with a new seed, on another slow host (identity 1.77 s a step, wall / steps in
#                         its card; fp32 matmul 101 GFLOP/s by the trainer, 78 in an earlier probe): a 400-step
#                         start was cut after 6 minutes, too long for its session at up to 3.6 s a step
#   round 25 (2026-12-03): LR=1e-4, SEED=20251149, FT_STEPS=650, BATCH=2 CROP=256 (cosine from 325): rounds
#                         21-22's recipe again, on a host about twice as fast a step as rounds 23-24's (identity
#                         0.85 s a step, wall / steps in its card; fp32 matmul 165 GFLOP/s by the trainer, 113 in
#                         a probe; a 300-step start was stopped at step 70 for this): more steps on the shipped
#                         weights, no GPU lent. A 2026-12-02 start of this round was lost with its session
#   round 26 (2026-12-03): LR=1e-4, SEED=20251150, FT_STEPS=300, BATCH=2 CROP=256 (cosine from 150): round 25's
#                         recipe, shortened to what the rest of its session had room for on the same host
#   round 27 (2026-12-03): LR=1e-4, SEED=20251151, FT_STEPS=650, BATCH=2 CROP=256 (cosine from 325): round 25's
#                         recipe and length, on round 26's host (a new session; its cards' wall times are inflated
#                         by evaluations and a CI run beside it on the 2 cores)
#   round 28 (2026-12-03): no training: scripts/soup.py 28 with rounds 25-27's checkpoints (each variant the
#                         mean of its own three; 0 steps, a "soup" stage in the cards)
#   round 29 (2026-12-03): LR=1e-4, SEED=20251152, FT_STEPS=650, BATCH=2 CROP=256 (cosine from 325): round 25's
#                         recipe, continued from round 28's soup, on an "Intel Xeon" host
#   round 30 (2026-12-03): no training: scripts/soup.py 30 with rounds 25-27's and 29's checkpoints (round 29
#                         gave back most of round 28's soup; the mean of the four trained ends beat both)
#   round 31 (2026-12-03): LR=1e-4, SEED=20251153, FT_STEPS=650, BATCH=2 CROP=256 (cosine from 325): round 25's
#                         recipe, continued from round 30's soup, on an "AMD EPYC" host that slowed as it ran
#                         (identity 0.96 s a step, hybrid 2.1 s at first and 3.5-3.9 s at the end)
#   round 32 (2026-12-03): no training: scripts/soup.py 32 with rounds 25-27's, 29's and 31's checkpoints (the
#                         mean of every trained round end since round 25, a rule fixed before evaluating it)
#   round 33 (2026-12-03): LR=3e-5, SEED=20251154, FT_STEPS=650, BATCH=2 CROP=256 (cosine from 325): round 25's
#                         recipe at under a third of its peak learning rate, from round 32's soup: rounds 29 and
#                         31 each gave back 0.4-0.8 points of the soup they started from at 1e-4
#   round 34 (2026-12-03, fixed before round 33's evaluation): no training, scripts/soup.py 34 with rounds 25-27's,
#                         29's, 31's and 33's checkpoints (round 32's rule: every trained round end since 25)
#   round 35 (2026-12-03): LR=3e-5, SEED=20251155, FT_STEPS=650, BATCH=2 CROP=256, EMA=0.995 (EMA_FROM=0.5):
#                         round 33's recipe from round 34's soup, exporting the moving average of the weights over
#                         the decay (--ema; window ~200 steps) instead of the last weights; shipped whatever it
#                         measures. A first start stopped at step 326 of Identity (the average was made before the
#                         warm start, with empty entropy tables; fixed in 2dadfc0) and was restarted from scratch
#   round 36 (2026-12-04): LR=3e-5, SEED=20251156, FT_STEPS=1000, BATCH=2 CROP=256, EMA=0.995 (EMA_FROM=0.5):
#                         round 35's recipe from its own end, 1,000 steps instead of 650 (the host allowed it);
#                         shipped whatever it measures
#   round 37 (2026-12-04): on a lent H200 through scripts/device_round.py, not this script: SEED=20251157 LR=8e-5
#                         BATCH=16 CROP=256 EMA=0.995 (EMA_FROM=0.5), from round 36's end: round 19's GPU recipe
#                         with round 35's EMA, its peak LR between round 19's 1e-4 and the CPU rounds' 3e-5 (8x
#                         their batch); 2,200 steps (the probe's fit to TRAIN_S=440: 0.200 s a step with the four
#                         at once; warm-up 100, cosine and EMA from 1,100); shipped whatever it measures
#   round 38 (2026-12-04): LR=3e-5, SEED=20251158, FT_STEPS=350, BATCH=2 CROP=256, EMA=0.995 (EMA_FROM=0.5):
#                         round 36's CPU recipe from round 37's end, cut to what this session's slower host (fp32
#                         matmul 130 GFLOP/s) can train and evaluate; shipped whatever it measures
#   round 39 (2026-12-04): LR=3e-5, SEED=20251159, FT_STEPS=1000, BATCH=2 CROP=256, EMA=0.995 (EMA_FROM=0.5):
#                         round 38's recipe from its own end, round 36's length (this host: identity 0.85 s a step,
#                         fp32 matmul 143 GFLOP/s, no GPU lent: room to train and evaluate twice); shipped
#                         whatever it measures. A 550-step start was stopped at step 100 for this
#   round 40 (2026-12-04, fixed before round 39 ran): no training, scripts/soup.py 40 with rounds 37's, 38's and 39's
#                         checkpoints (the GPU round's end and the two CPU rounds after it, nearby points of one
#                         basin, as rounds 28-32's soups of nearby ends); shipped whatever it measures
#   round 41 (2026-12-05): LR=3e-5, SEED=20251161, FT_STEPS=1000, BATCH=2 CROP=256, EMA=0.995 (EMA_FROM=0.5):
#                         round 39's recipe and length from the shipped round 40 (the soup; OWN_INIT=checkpoints),
#                         no GPU lent, host fp32 matmul 149 GFLOP/s in a probe; shipped whatever it measures
#   round 42 (2026-12-05, fixed after round 41's Kodak, before this one's): no training, scripts/soup.py 42 with
#                         rounds 39's and 41's checkpoints (the two CPU ends after the GPU round, 0.2-0.3 points
#                         apart: nearer level than round 40's inputs; round 39 is there because Kodak ranked it
#                         best, a choice made on the evaluation set); shipped whatever it measures
#   round 43 (2026-12-05): LR=3e-5, SEED=20251163, FT_STEPS=1200, BATCH=2 CROP=256, EMA=0.995 (EMA_FROM=0.5):
#                         round 41's recipe, 1,200 steps (what this faster host, fp32 matmul 200 GFLOP/s in a probe,
#                         fits in the session) from the shipped round 42 (the soup; OWN_INIT=checkpoints), no GPU
#                         lent; shipped whatever it measures
#   round 44 (2026-12-05): LR=3e-5, SEED=20251164, FT_STEPS=1300, BATCH=2 CROP=256, EMA=0.995 (EMA_FROM=0.5):
#                         round 43's recipe, 1,300 steps (what this host, 1,200 in 87 min for round 43, fits in
#                         the session) from the shipped round 43 (OWN_INIT=checkpoints), no GPU lent; shipped
#                         whatever it measures
#   round 45 (2026-12-05): LR=3e-5, SEED=20251165, FT_STEPS=1300, BATCH=2 CROP=256, EMA=0.995 (EMA_FROM=0.5):
#                         round 44's recipe, 1,300 steps (97 min for round 44 on this host) from the shipped
#                         round 44 (OWN_INIT=checkpoints), no GPU lent; shipped whatever it measures
#   round 46 (2026-12-05): LR=6e-5, SEED=20251166, FT_STEPS=1200, BATCH=2 CROP=256, EMA=0.995 (EMA_FROM=0.5):
#                         round 45's recipe at twice its peak learning rate (the cheapest untested change: rounds
#                         43-45 at 3e-5 paid 0.14-0.61 points each and less every round; 1e-4 last ran from soups,
#                         rounds 29 and 31), 1,200 steps from the shipped round 45 (OWN_INIT=checkpoints), no GPU
#                         lent; shipped whatever it measures
#   round 47 (2026-12-07): LR=1e-4, SEED=20251167, FT_STEPS=1200, BATCH=2 CROP=256, EMA=0.995 (EMA_FROM=0.5):
#                         round 46's recipe at the next step up in peak learning rate (6e-5 gave nothing back and
#                         paid 0.09-0.25 points a 1,000 steps, round 45's 3e-5 0.11-0.17; 1e-4 has not run from a
#                         trained end with EMA), 1,200 steps from the shipped round 46 (OWN_INIT=checkpoints), no
#                         GPU lent; shipped whatever it measures. Fixed 2026-12-05; that start was lost with its
#                         session (an environment restart) and this one begins from scratch on an "AMD EPYC" host
#   round 48 (2026-12-07, fixed after round 47's Kodak, before this one's): no training, scripts/soup.py 48 with
#                         rounds 46's and 47's checkpoints (the shipped round 47 gave back 0.09-0.52 points of round
#                         46; the mean of the two ends, one from each peak LR, as round 42 averaged two CPU ends);
#                         shipped whatever it measures
#   round 49 (2026-12-07): LR=6e-5, SEED=20251169, FT_STEPS=1200, BATCH=2 CROP=256, EMA=0.995 (EMA_FROM=0.5):
#                         round 46's recipe (6e-5 paid 0.09-0.25 points a 1,000 steps from a trained end, 1e-4 in
#                         round 47 gave 0.09-0.52 back), 1,200 steps from the shipped round 48 (the soup;
#                         OWN_INIT=checkpoints), no GPU lent; shipped whatever it measures
#   round 50 (2026-12-07, fixed after round 49 trained, before its Kodak): LR=6e-5, SEED=20251170, FT_STEPS=700,
#                         BATCH=2 CROP=256, EMA=0.995 (EMA_FROM=0.5): round 49's recipe, 700 steps (this host ran
#                         round 49's 1,200 in 58 min; what is left of the session) from the shipped round 49
#                         (OWN_INIT=checkpoints), no GPU lent; shipped whatever it measures
#   round 51 (2026-12-07): LR=6e-5, SEED=20251171, FT_STEPS=300, BATCH=2 CROP=256, EMA=0.995 (EMA_FROM=0.5): round
#                         50's recipe, 300 steps from the shipped round 50 (OWN_INIT=checkpoints), sized to a slow
#                         host (identity 2.33 s a step, hybrid 4.32 in a 12-step probe; fp32 matmul 84 GFLOP/s in a
#                         probe) and its evaluation; no GPU lent; shipped whatever it measures
#   round 52 (2026-12-07, fixed after round 51's Kodak, before this one's): no training, scripts/soup.py 52 with
#                         rounds 50's and 51's checkpoints (the shipped round 51 gave back 0.75-1.39 points of round
#                         50, as round 47 gave back part of round 46 and round 48's mean of the two beat both for
#                         three of the four); shipped whatever it measures
#   round 53 (2026-12-07): LR=6e-5, SEED=20251173, FT_STEPS=600, BATCH=2 CROP=256, EMA=0.995 (EMA_FROM=0.5): round
#                         50's recipe, 600 steps from the shipped round 52 (the soup; OWN_INIT=checkpoints), sized to
#                         a middling host (identity 1.39 s a step, measured over round 53's first 116 steps at 700,
#                         stopped and cut to 600 so that all four and the evaluation fit the session; fp32 matmul
#                         114-124 GFLOP/s); no GPU lent; shipped whatever it measures
#   round 54 (2026-12-07): LR=6e-5, SEED=20251174, FT_STEPS=700, BATCH=2 CROP=256, EMA=0.995 (EMA_FROM=0.5): round
#                         50's recipe and length, 700 steps from the shipped round 53 (OWN_INIT=checkpoints), sized
#                         to a middling host (round 53 ran 600 steps of the four in 85 min; fp32 matmul 118-129
#                         GFLOP/s in a probe); no GPU lent; shipped whatever it measures
#   on a lent GPU: scripts/device_round.py (fits a round into the device tool's calls; its docstring has the steps)
#   after each round: scripts/finish_round.py $RUNS N && python -m s2c evaluate --update --classical --cards
#                     && scripts/transform_ceiling.py && scripts/round_history.py (archives it in results/rounds.json)
#                     && scripts/readme_results.py --write (README's tables)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
RUNS=${RUNS:-runs}
TRUNK_STEPS=${TRUNK_STEPS:-3500}
FT_STEPS=${FT_STEPS:-800}
THREADS=${THREADS:-2}
SEED=${SEED:-20251125}
LR=${LR:-2e-4}
BATCH=${BATCH:-8}
CROP=${CROP:-128}
COMMON=(--preset lite --batch "$BATCH" --crop "$CROP" --lr "$LR" --seed "$SEED" --threads "$THREADS"
        --save-minutes 5 --resume)
if [ -n "${EMA:-}" ]; then  # export a moving average of the weights (decay EMA) from EMA_FROM of the steps on
  COMMON+=(--ema "$EMA" --ema-from "${EMA_FROM:-0.5}")
fi
TRUNK_ARGS=(--warmup 200)
if [ -n "${TRUNK_INIT:-}" ]; then
  TRUNK_ARGS=(--warmup 100 --init-from "$TRUNK_INIT")
fi

if [ -z "${OWN_INIT:-}" ] && [ ! -f "$RUNS/trunk/s2c-identity-lite.safetensors" ]; then
  $PY -m s2c train --variant s2c-identity --run-dir "$RUNS/trunk" --steps "$TRUNK_STEPS" --decay-from 1.0 \
      "${TRUNK_ARGS[@]}" --export "$RUNS/trunk" "${COMMON[@]}"
fi
for v in ${VARIANTS:-s2c-identity s2c-conv s2c-attention s2c-hybrid}; do
  init="$RUNS/trunk/s2c-identity-lite.safetensors"
  [ -n "${OWN_INIT:-}" ] && init="$OWN_INIT/$v-lite.safetensors"
  $PY -m s2c train --variant "$v" --run-dir "$RUNS/$v-lite" --steps "$FT_STEPS" --warmup 100 --decay-from 0.5 \
      --init-from "$init" --export "${EXPORT:-$RUNS/export}" "${COMMON[@]}"
done
