/**
 * The runs of a grid and their split over local worker processes: every (pair, fraction, method,
 * seed), in the order the table lists them, and a longest-processing-time-first assignment of the
 * pending ones to workers, so that two processes finish at about the same time.
 */
import type { MethodSpec } from '../transfer/index.ts';

/** Where the record of a run lives under `outDir` (its checkpoint: the same path ending in `.ckpt`). */
export function runFile(outDir: string, pair: string, fraction: number, method: string, seed: number): string {
  return [outDir, 'runs', pair, String(fraction), method, `seed-${seed}.json`].join('/');
}

export interface GridRun {
  pair: string; fraction: number; method: MethodSpec; seed: number; file: string;
  /** The pair's cost relative to zh-history-to-course (1 where unknown); scales METHOD_COST for balancing. */
  weight: number;
}

/**
 * Every run of the grid, in table order. `weights` gives each pair's relative cost (e.g. its source
 * size under a protocol, whose budget is counted in source passes).
 */
export function gridRuns(outDir: string, pairs: readonly string[], fractions: readonly number[], methods: readonly MethodSpec[], seeds: number, weights: Readonly<Record<string, number>> = {}): GridRun[] {
  const out: GridRun[] = [];
  for (const pair of pairs) for (const fraction of fractions) for (const method of methods) for (let seed = 1; seed <= seeds; seed++) {
    out.push({ pair, fraction, method, seed, file: runFile(outDir, pair, fraction, method.name, seed), weight: weights[pair] ?? 1 });
  }
  return out;
}

/**
 * Relative cost of one run of each method (seconds on an idle machine, zh-history-to-course, 40 epochs):
 * used only to balance the workers, never to change what a run computes.
 */
export const METHOD_COST: Record<string, number> = { 'target-only': 89, 'source-only': 78, merged: 98, init: 134, mult: 106, mmd: 164, 'la-mmd': 172, pt: 113, 'la-dtl': 134 };

/** A run's expected cost, relative units: its method's cost times its pair's weight. */
export function runCost(run: GridRun): number {
  return (METHOD_COST[run.method.name] ?? 120) * run.weight;
}

/**
 * Splits the grid over `workers` by longest-processing-time-first: each run, most expensive first,
 * goes to the least loaded worker. Runs already stored (in `done`) weigh nothing: they are usually
 * skipped, but still get an owner in case their configuration changed. Deterministic, so every
 * worker computes the same assignment.
 */
export function assignRuns(runs: readonly GridRun[], done: Readonly<Record<string, string>>, workers: number): Set<string>[] {
  const costed = runs.map((r, i) => ({ file: r.file, cost: r.file in done ? 0 : runCost(r), i }));
  const load = new Array<number>(workers).fill(0);
  const owned = Array.from({ length: workers }, () => new Set<string>());
  // Stable order: equal costs keep grid order, so the assignment is the same in every worker.
  for (const r of costed.sort((a, b) => b.cost - a.cost || a.i - b.i)) {
    let k = 0;
    for (let w = 1; w < workers; w++) if (load[w] < load[k]) k = w;
    load[k] += r.cost || 1e-9;
    owned[k].add(r.file);
  }
  return owned;
}
