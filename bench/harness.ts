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
