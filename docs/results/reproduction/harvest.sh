#!/usr/bin/env bash
# Harvests the background reproduction grid (run-grid.sh, running in a separate worktree, default
# ../ladtl-grid) into docs/results/reproduction/: copies every finished run record (never a
# checkpoint, lock or temporary file), then regenerates each experiment folder's tables, summary,
# figures and report.html, and the blocks of docs/results.md that name a folder. Safe to run while
# the grid runs: a record is written by rename, so a copy sees it whole or not at all.
#   bash docs/results/reproduction/harvest.sh [GRID_WORKTREE]
set -euo pipefail
cd "$(dirname "$0")/../../.."
GRID=${1:-../ladtl-grid}
(cd "$GRID/runs" && tar --exclude='*.ckpt' --exclude='*.lock' --exclude='*.tmp' -cf - reproduction*) | tar -xf - -C docs/results/reproduction/
for d in docs/results/reproduction/reproduction*/; do
  d=${d%/}
  if grep -qF "<!-- ladtl report $d: begin -->" docs/results.md; then
    npx ladtl report --out "$d" --markdown docs/results.md > /dev/null
  else
    npx ladtl report --out "$d" > /dev/null
  fi
  echo "$d: $(find "$d/runs" -name 'seed-*.json' | wc -l) records"
done
# F1 against the target fraction: the fraction runs with the 10% runs of the same pairs and methods.
R=docs/results/reproduction
if [ -d "$R/reproduction-fractions/runs" ]; then
  npx ladtl report --out "$R/reproduction,$R/reproduction-fractions" --write "$R/fractions" --markdown docs/results.md \
    --pair zh-history-to-course,zh-history-to-discharge,disease-bc5cdr-to-ncbi,chem-bc5cdr-to-bionlp11id --methods target-only,init,mult,la-dtl > /dev/null
  echo "$R/fractions: 10% and fraction runs together"
fi
