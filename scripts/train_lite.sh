#!/usr/bin/env bash
# Trains the four shipped `lite` checkpoints with one recipe:
#   1. a shared S2C-Identity trunk (TRUNK_STEPS), then
#   2. every variant, Identity included, warm-started from it (function-preserving) for FT_STEPS more.
# Every stage resumes exactly from runs/<stage>/state, so re-running the script continues where it stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
TRUNK_STEPS=${TRUNK_STEPS:-3500}
FT_STEPS=${FT_STEPS:-800}
THREADS=${THREADS:-2}
COMMON=(--preset lite --batch 8 --crop 128 --lr 2e-4 --seed 20251125 --threads "$THREADS" --save-minutes 5 --resume)

if [ ! -f runs/trunk/s2c-identity-lite.safetensors ]; then
  $PY -m s2c train --variant s2c-identity --run-dir runs/trunk --steps "$TRUNK_STEPS" --decay-from 1.0 \
      --export runs/trunk "${COMMON[@]}"
fi
for v in ${VARIANTS:-s2c-identity s2c-conv s2c-attention s2c-hybrid}; do
  $PY -m s2c train --variant "$v" --run-dir "runs/$v-lite" --steps "$FT_STEPS" --warmup 100 --decay-from 0.5 \
      --init-from runs/trunk/s2c-identity-lite.safetensors --export checkpoints "${COMMON[@]}"
done
