/**
 * Shared plumbing of the benchmark suites: the contract between `bench/index.ts` and each
 * `*.bench.ts` module, a synchronous Benchmark.js runner that refuses to report failed cases, and
 * plain-text tables.
 */
import Benchmark from 'benchmark';

/** What the entry point passes to every suite. */
export interface SuiteOptions {
  /** Smoke run: fewer sizes and shorter sampling, numbers are indicative only. */
  quick: boolean;
}

/** One timed case (one row of a table). */
export interface CaseResult {
  name: string;
  /** Mean time of one operation, in milliseconds. */
  msPerOp: number;
  /** Relative margin of error of the mean at 95% confidence, in percent (Benchmark.js `stats.rme`). */
  rmePercent: number;
  /** Number of samples the mean is taken over (each sample times one or more operations). */
  samples: number;
  /** Floating-point throughput, when the operation has a well-defined flop count. */
  gflops?: number;
}

/** One table: the cases compared on the same input. */
export interface GroupResult {
  name: string;
  /** What defines the input (shape, dtype, ...), so JSON consumers need not parse `name`. */
  params: Record<string, number | string>;
  cases: CaseResult[];
  /** Named speed ratios between cases; by convention >1 means the case under test is faster. */
  ratios: Record<string, number>;
  /** Results of the correctness checks done before timing (e.g. relative errors against a peer). */
  checks?: Record<string, number>;
}

export interface SuiteResult {
  suite: string;
  /** Versions of the peers and any setting that affects how the numbers should be read. */
  meta: Record<string, unknown>;
  groups: GroupResult[];
}

/** The shape of a `*.bench.ts` module as `bench/index.ts` loads it. */
export interface SuiteModule {
  run(options: SuiteOptions): Promise<SuiteResult>;
}

/** A function to time, with per-case Benchmark.js options that override the group's defaults. */
export interface TimedCase {
  name: string;
  fn: () => void;
  options?: Benchmark.Options;
}

/**
 * Times `cases` one after the other in a single Benchmark.Suite, run synchronously so nothing else
 * of ours (timers, promises) runs between samples.
 *
 * Benchmark.js records some exceptions thrown by a case in `bench.error` and carries on with the
 * next case; the stats of such a case are meaningless, so any error is rethrown here instead of
 * being turned into a row of the table.
 */
export function timeCases(suiteName: string, cases: TimedCase[], defaults: Benchmark.Options): CaseResult[] {
  const suite = new Benchmark.Suite(suiteName);
  // We keep our own handles on the Benchmark objects because the Suite typings expose no indexing.
  const benches = cases.map((c) => new Benchmark(c.name, c.fn, { ...defaults, ...c.options }));
  let current = '';
  for (const b of benches) {
    b.on('start', () => (current = b.name ?? '?'));
    suite.push(b);
  }
  try {
    suite.run({ async: false });
  } catch (err) {
    // Some exceptions (from a case run outside Benchmark.js's own pretest, or from an event hook)
    // escape `run` directly; say which case they came from.
    throw new Error(`benchmark "${suiteName} / ${current}" failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }

  return benches.map((b) => {
    if (b.error) {
      throw new Error(`benchmark "${suiteName} / ${b.name}" failed: ${b.error.message}`, { cause: b.error });
    }
    if (b.aborted || !(b.stats.mean > 0)) {
      throw new Error(`benchmark "${suiteName} / ${b.name}" produced no timing (aborted: ${b.aborted})`);
    }
    return {
      name: b.name ?? '?',
      msPerOp: b.stats.mean * 1e3,
      rmePercent: b.stats.rme,
      samples: b.stats.sample.length,
    };
  });
}

/**
 * Calls `fn` at least once and then until `budgetMs` has elapsed, so that the JIT has compiled the
 * hot path (and caches/scratch buffers are sized) before Benchmark.js takes its first sample. This
 * matters for slow operations, where Benchmark.js's first cycle is a single call and counts as a
 * sample.
 */
export function warmUp(fn: () => void, budgetMs: number): void {
  const start = performance.now();
  do fn();
  while (performance.now() - start < budgetMs);
}

/** Renders a table with the first column left-aligned and the others right-aligned. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Formats a number with about 3-4 significant digits, which is all the noise allows. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const ax = Math.abs(x);
  if (ax >= 100) return x.toFixed(1);
  if (ax >= 10) return x.toFixed(2);
  if (ax >= 1) return x.toFixed(3);
  return x.toPrecision(3);
}

/** The timing of one case over alternating rounds (see `timeRounds`). */
export interface RoundsResult {
  name: string;
  /** Median over rounds of the mean time of one operation in that round, in milliseconds. */
  medianMs: number;
  /** Smallest and largest per-round mean (the spread). */
  minMs: number;
  maxMs: number;
  /** Interquartile range of the per-round means, as a percentage of the median. */
  iqrPercent: number;
  rounds: number;
  /** Every round's mean, for JSON consumers. */
  roundMs: number[];
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q, lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Times contenders in alternating rounds: in each round every case runs for about `roundMs` (at
 * least `minCalls` calls), in an order that rotates from round to round, so that a change of machine
 * load or clock affects all contenders alike instead of whichever happened to run during it. This is
 * what ratios between implementations must be measured with; one-after-the-other timing (Benchmark.js
 * suites) gave 11× where alternating rounds gave 6–7× on a loaded machine. Reports medians and spread.
 */
export function timeRounds(cases: TimedCase[], o: { rounds: number; roundMs: number; minCalls?: number; warmUpMs?: number }): RoundsResult[] {
  for (const c of cases) warmUp(c.fn, o.warmUpMs ?? o.roundMs);
  const perRound: number[][] = cases.map(() => []);
  for (let r = 0; r < o.rounds; r++) {
    for (let i = 0; i < cases.length; i++) {
      const idx = (i + r) % cases.length;
      const fn = cases[idx].fn;
      let calls = 0;
      const start = performance.now();
      let elapsed = 0;
      do {
        fn();
        calls++;
        elapsed = performance.now() - start;
      } while (elapsed < o.roundMs || calls < (o.minCalls ?? 1));
      perRound[idx].push(elapsed / calls);
    }
  }
  return cases.map((c, i) => {
    const sorted = [...perRound[i]].sort((a, b) => a - b);
    const median = quantile(sorted, 0.5);
    return {
      name: c.name,
      medianMs: median,
      minMs: sorted[0],
      maxMs: sorted[sorted.length - 1],
      iqrPercent: (100 * (quantile(sorted, 0.75) - quantile(sorted, 0.25))) / median,
      rounds: o.rounds,
      roundMs: perRound[i],
    };
  });
}
