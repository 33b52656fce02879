/**
 * The honest summary of a grid: for each column (pair at a fraction) the winner and whether La-DTL
 * (or any chosen method) beats each baseline beyond the spread over seeds; across columns its number
 * of wins, its average rank, and a Wilcoxon signed-rank test of its mean test F1 against each
 * baseline's, paired by column.
 *
 * "Beyond the seed spread" means the two intervals mean ± one sample standard deviation do not
 * overlap: with three seeds a t-test per column has little power, and this rule is easy to check by
 * eye in the figure of test F1 with its error bars.
 */
import type { RunRecord } from './runRecord.ts';
import { buildTable } from './resultsTable.ts';

/** A two-sided signed-rank test of paired differences (injected: see statistics.ts). */
export type SignedRankTest = (differences: readonly number[]) => { pValue: number; statistic: number };

/** `one seed`: a cell has a single run, so there is no spread to compare with. */
export type Verdict = 'better' | 'worse' | 'within spread' | 'one seed';

export interface ColumnSummary {
  column: string;
  winner: string;
  /** The focus method's rank among the methods run (1: best mean test F1). */
  rank: number;
  /** Per baseline: mean difference (focus − baseline) and the verdict. */
  versus: Record<string, { difference: number; verdict: Verdict }>;
}

export interface GridSummary {
  focus: string;
  columns: ColumnSummary[];
  wins: number;
  averageRank: number;
  /** Per baseline, across the columns where both ran: n, mean difference, columns better/worse beyond spread, and the test. */
  tests: Record<string, { n: number; meanDifference: number; better: number; worse: number; pValue: number | null; statistic: number | null }>;
}

export function summarize(records: readonly RunRecord[], methods: readonly string[], columns: readonly string[], focus: string, test?: SignedRankTest): GridSummary {
  const table = buildTable(records, methods, columns);
  const cell = (m: string, c: string) => table.cells.get(`${m}\u0000${c}`);
  const baselines = methods.filter((m) => m !== focus);
  const out: ColumnSummary[] = [];
  for (const c of columns) {
    const f = cell(focus, c);
    if (!f) continue;
    const ran = methods.filter((m) => cell(m, c));
    const rank = 1 + ran.filter((m) => m !== focus && cell(m, c)!.mean > f.mean).length;
    const versus: ColumnSummary['versus'] = {};
    for (const b of baselines) {
      const x = cell(b, c);
      if (!x) continue;
      const difference = f.mean - x.mean;
      const apart = Math.abs(difference) > f.std + x.std;
      versus[b] = { difference, verdict: f.n < 2 || x.n < 2 ? 'one seed' : !apart ? 'within spread' : difference > 0 ? 'better' : 'worse' };
    }
    out.push({ column: c, winner: table.best.get(c) ?? focus, rank, versus });
  }
  const tests: GridSummary['tests'] = {};
  for (const b of baselines) {
    const diffs = out.filter((s) => s.versus[b]).map((s) => s.versus[b].difference);
    if (diffs.length === 0) continue;
    const verdicts = out.filter((s) => s.versus[b]).map((s) => s.versus[b].verdict);
    // The test needs two columns and a non-zero difference (with fewer than 6 columns no two-sided p-value can reach 0.05 anyway).
    const r = test && diffs.length >= 2 && diffs.some((d) => d !== 0) ? test(diffs) : null;
    tests[b] = {
      n: diffs.length, meanDifference: diffs.reduce((a, d) => a + d, 0) / diffs.length,
      better: verdicts.filter((v) => v === 'better').length, worse: verdicts.filter((v) => v === 'worse').length,
      pValue: r?.pValue ?? null, statistic: r?.statistic ?? null,
    };
  }
  return {
    focus, columns: out, wins: out.filter((s) => s.winner === focus).length,
    averageRank: out.length ? out.reduce((a, s) => a + s.rank, 0) / out.length : NaN, tests,
  };
}

/** A difference in F1 with its sign: `+1.25`, `-0.50`, and `0.00` for anything that rounds to zero (never `-0.00`). */
export function signedDifference(d: number): string {
  const fixed = d.toFixed(2).replace(/^-(0\.00)$/, '$1');
  return fixed === '0.00' || fixed.startsWith('-') ? fixed : `+${fixed}`;
}

/** How many columns each method wins, most first (ties in the order the columns name them). */
export function winsPerMethod(s: GridSummary): [string, number][] {
  const counts = new Map<string, number>();
  for (const c of s.columns) counts.set(c.winner, (counts.get(c.winner) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/** The summary as markdown: a per-column table and the tests across columns. */
export function formatSummary(s: GridSummary, titles: Readonly<Record<string, string>> = {}): string {
  const t = (m: string) => titles[m] ?? m;
  const baselines = Object.keys(s.tests);
  const sign = (v: Verdict, d: number) => `${signedDifference(d)}${v === 'better' ? ' ▲' : v === 'worse' ? ' ▼' : ''}`;
  const lines = [
    `${t(s.focus)} wins ${s.wins} of ${s.columns.length} column${s.columns.length === 1 ? '' : 's'}; average rank ${s.averageRank.toFixed(2)}. Columns won: ${winsPerMethod(s).map(([m, n]) => `${t(m)} ${n}`).join(', ')}.`,
    '',
    `| column | winner | rank of ${t(s.focus)} | ${baselines.map((b) => `vs ${t(b)}`).join(' | ')} |`,
    `|---|---|---:|${baselines.map(() => '---:').join('|')}|`,
    ...s.columns.map((c) => `| ${c.column} | ${t(c.winner)} | ${c.rank} | ${baselines.map((b) => (c.versus[b] ? sign(c.versus[b].verdict, c.versus[b].difference) : '–')).join(' | ')} |`),
    '',
    `Differences are ${t(s.focus)}'s mean test F1 minus the baseline's; ▲/▼: the intervals mean ± std over seeds do not overlap (never marked where a cell has one seed).`,
    '',
    `| ${t(s.focus)} vs | columns | mean difference | better / worse beyond spread | Wilcoxon signed-rank p (two-sided) |`,
    '|---|---:|---:|---:|---:|',
    ...baselines.map((b) => {
      const x = s.tests[b];
      return `| ${t(b)} | ${x.n} | ${signedDifference(x.meanDifference)} | ${x.better} / ${x.worse} | ${x.pValue === null ? '–' : x.pValue.toPrecision(3)} |`;
    }),
  ];
  return lines.join('\n');
}

