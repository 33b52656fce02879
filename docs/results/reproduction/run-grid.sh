#!/usr/bin/env bash
# The reproduction grid of docs/results.md ("The reproduction"), resumable: run it again after any
# interruption and it skips stored runs and resumes the others from their checkpoints. Run it from a
# separate git worktree of the commit named in docs/results.md, so that later commits cannot change
# a running grid:
#   git worktree add ../ladtl-grid <commit> && ln -s "$PWD/node_modules" ../ladtl-grid/node_modules
#   cd ../ladtl-grid && nohup bash docs/results/reproduction/run-grid.sh > grid.log 2>&1 &
# Records land in runs/reproduction*/. A sitting may end without warning and take the worktree with
# it: at the end of each sitting copy the finished records (not the *.ckpt checkpoints) into
# docs/results/reproduction/ on main and commit them; the next sitting copies them back into
# runs/ of a fresh worktree before restarting this script, which then skips them (same config hash).
#   (cd runs && tar --exclude='*.ckpt' -cf - reproduction*) | tar -xf - -C <main>/docs/results/reproduction/   # harvest
#   mkdir -p runs && cp -r <main>/docs/results/reproduction/reproduction* runs/                                 # seed
set -euo pipefail
cd "$(dirname "$0")/../../.."
DATA=${LADTL_DATA:-../shared/data}
ALL=zh-history-to-course,zh-history-to-discharge,zh-msra-to-weibo,disease-bc5cdr-to-ncbi,chem-bc5cdr-to-bionlp11id,multi-bionlp13cg-to-bionlp13pc,multi-bionlp13cg-to-bionlp11id,protein-bionlp09-to-bionlp11epi,gene-bc2gm-to-exptm,species-linnaeus-to-bionlp11id
run() { echo "== $(date -u +%FT%TZ) ladtl experiment $*"; /usr/bin/time -v npx ladtl experiment --data "$DATA" --protocol paper --jobs 2 "$@" 2>&1; }

# 1. Every pair at 10%, every method: one seed everywhere first, then seeds 2-3 (seed 1 is found done).
run --pair "$ALL" --seeds 1 --out runs/reproduction
run --pair "$ALL" --seeds 3 --out runs/reproduction
# 2. 5% and 20% on both Chinese EHR pairs and two biomedical pairs (10% is grid 1).
run --pair zh-history-to-course,zh-history-to-discharge,disease-bc5cdr-to-ncbi,chem-bc5cdr-to-bionlp11id --target-fraction 0.05,0.2 --methods target-only,init,mult,la-dtl --seeds 3 --out runs/reproduction-fractions
# 3. The authors' setting: MSRA -> the whole Weibo train set.
run --pair zh-msra-to-weibo --target-fraction 1 --methods target-only,init,mult,la-dtl --seeds 3 --out runs/reproduction-authors
echo "== $(date -u +%FT%TZ) grid done"
