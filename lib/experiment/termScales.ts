/**
 * The scale of each loss term per method and column, from the runs' per-epoch histories: the mean
 * over seeds of each term's epoch mean in the first and the last epoch of the run's selected phase.
 * It is the first check when a method does not help on a pair: a La-MMD or PT term that is
 * negligible next to the CRF losses cannot move the encoder, one that dwarfs them swamps it.
 * `source` and `target` are the CRF NLLs before α weighting; `mmd`, `pt` and `reg` as added to the loss.
 */
import type { RunRecord } from './runRecord.ts';
import { columnName } from './resultsTable.ts';

export interface TermScale { column: string; method: string; terms: string[]; first: Record<string, number>; last: Record<string, number>; runs: number }

export function termScales(records: readonly RunRecord[], methods: readonly string[], columns: readonly string[]): TermScale[] {
  const out: TermScale[] = [];
  for (const column of columns) {
    for (const method of methods) {
      const runs = records.filter((r) => r.method === method && columnName(r.pair, r.fraction) === column && (r.history?.length ?? 0) > 0);
      if (runs.length === 0) continue;
      const phaseOf = (r: RunRecord) => r.history!.filter((h) => h.phase !== 'pretrain');
      const first: Record<string, number> = {}, last: Record<string, number> = {};
      const terms = new Set<string>();
      for (const r of runs) {
        const h = phaseOf(r);
        if (h.length === 0) continue;
        for (const [k, v] of Object.entries(h[0].terms)) { first[k] = (first[k] ?? 0) + v / runs.length; terms.add(k); }
        for (const [k, v] of Object.entries(h[h.length - 1].terms)) last[k] = (last[k] ?? 0) + v / runs.length;
      }
      out.push({ column, method, terms: [...terms], first, last, runs: runs.length });
    }
  }
  return out;
}

export function formatTermScales(scales: readonly TermScale[], titles: Readonly<Record<string, string>> = {}): string {
  const order = ['nll', 'source', 'target', 'mmd', 'pt', 'reg'];
  const fmt = (x: number | undefined) => (x === undefined ? '–' : x.toPrecision(3));
  return [
    `| column | method | ${order.map((t) => `${t}: first → last epoch`).join(' | ')} |`,
    `|---|---|${order.map(() => '---:').join('|')}|`,
    ...scales.map((s) => `| ${s.column} | ${titles[s.method] ?? s.method} | ${order.map((t) => (s.terms.includes(t) ? `${fmt(s.first[t])} → ${fmt(s.last[t])}` : '–')).join(' | ')} |`),
  ].join('\n');
}
