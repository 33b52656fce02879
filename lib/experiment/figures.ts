/**
 * The experiment's figures as Vega-Lite specifications (plain JSON: drawn to SVG in Node by
 * renderFigures.ts, or by vega-embed in a page): test F1 per method and column with the spread over
 * seeds, target-dev learning curves per method, and test F1 against the target fraction.
 */
import type { RunRecord } from './runRecord.ts';
import { columnName } from './resultsTable.ts';

/** A Vega-Lite specification (kept as plain JSON, so that this module needs no Vega types). */
export type VegaLiteSpec = Record<string, unknown>;

export interface Figure {
  /** File name stem, e.g. `test-f1`. */
  name: string;
  title: string;
  spec: VegaLiteSpec;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** The method order and display names of the figures' legends and axes. */
export interface MethodNames { order: readonly string[]; titles: Readonly<Record<string, string>> }

function methodScale(m: MethodNames): { domain: string[] } {
  return { domain: m.order.map((n) => m.titles[n] ?? n) };
}

/** Test F1 of each run (points) and its mean over seeds with ± one standard deviation (bar and rule), per column. */
export function testF1Figure(records: readonly RunRecord[], m: MethodNames): Figure {
  const values = records.map((r) => ({ column: columnName(r.pair, r.fraction), method: m.titles[r.method] ?? r.method, seed: r.seed, f1: r.testF1 }));
  const x = { field: 'method', type: 'nominal', title: null, scale: methodScale(m), axis: { labelAngle: -40 } };
  return {
    name: 'test-f1', title: 'Test F1 per method (ticks: mean over seeds; lines: ± 1 std; dots: seeds)',
    spec: {
      $schema: SCHEMA, data: { values },
      facet: { field: 'column', type: 'nominal', title: null }, columns: 3,
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: 260, height: 200,
        layer: [
          // The mean as a thick tick, not a bar: a bar's length would mean nothing on an axis that does not start at 0.
          { mark: { type: 'tick', thickness: 3, size: 34 }, encoding: { x, y: { aggregate: 'mean', field: 'f1', type: 'quantitative', title: 'test F1', scale: { zero: false } }, color: { field: 'method', type: 'nominal', scale: methodScale(m), legend: null } } },
          { mark: { type: 'errorbar', extent: 'stdev' }, encoding: { x, y: { field: 'f1', type: 'quantitative', title: 'test F1' } } },
          { mark: { type: 'point', filled: true, size: 25 }, encoding: { x, y: { field: 'f1', type: 'quantitative' }, color: { field: 'method', type: 'nominal', scale: methodScale(m), legend: null } } },
        ],
      },
    },
  };
}

/**
 * Target dev F1 against training steps, mean over seeds at each evaluation, one line per method and a
 * panel per column. Steps count from the start of the run, so INIT's curve starts after its source
 * pre-training and every curve ends at the protocol's common budget.
 */
export function devCurvesFigure(records: readonly RunRecord[], m: MethodNames): Figure | null {
  const values: { column: string; method: string; seed: number; step: number; f1: number }[] = [];
  for (const r of records) {
    for (const h of r.history ?? []) {
      if (h.dev) values.push({ column: columnName(r.pair, r.fraction), method: m.titles[r.method] ?? r.method, seed: r.seed, step: h.step, f1: h.dev.f1 });
    }
  }
  if (values.length === 0) return null;
  return {
    name: 'dev-curves', title: 'Target dev F1 during training (mean over seeds)',
    spec: {
      $schema: SCHEMA, data: { values },
      facet: { field: 'column', type: 'nominal', title: null }, columns: 2,
      resolve: { scale: { x: 'independent', y: 'independent' } },
      spec: {
        width: 380, height: 240,
        mark: { type: 'line', strokeWidth: 1.2, interpolate: 'monotone' },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'optimizer steps' },
          y: { aggregate: 'mean', field: 'f1', type: 'quantitative', title: 'dev F1', scale: { zero: false } },
          color: { field: 'method', type: 'nominal', scale: methodScale(m), title: 'method' },
        },
      },
    },
  };
}

/** Mean test F1 against the target fraction, one line per method and a panel per pair (pairs run at one fraction are left out). */
export function fractionFigure(records: readonly RunRecord[], m: MethodNames): Figure | null {
  const fractionsOf = new Map<string, Set<number>>();
  for (const r of records) fractionsOf.set(r.pair, (fractionsOf.get(r.pair) ?? new Set()).add(r.fraction));
  const values = records.filter((r) => fractionsOf.get(r.pair)!.size > 1).map((r) => ({ pair: r.pair, method: m.titles[r.method] ?? r.method, fraction: r.fraction * 100, f1: r.testF1 }));
  if (values.length === 0) return null;
  return {
    name: 'fractions', title: 'Test F1 against the share of target labels (mean over seeds)',
    spec: {
      $schema: SCHEMA, data: { values },
      facet: { field: 'pair', type: 'nominal', title: null }, columns: 2,
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: 300, height: 220,
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'fraction', type: 'quantitative', title: 'target train labels used (%)' },
          y: { aggregate: 'mean', field: 'f1', type: 'quantitative', title: 'test F1', scale: { zero: false } },
          color: { field: 'method', type: 'nominal', scale: methodScale(m), title: 'method' },
        },
      },
    },
  };
}

/** Every figure the records allow. */
export function experimentFigures(records: readonly RunRecord[], m: MethodNames): Figure[] {
  return [testF1Figure(records, m), devCurvesFigure(records, m), fractionFigure(records, m)].filter((f): f is Figure => f !== null);
}
