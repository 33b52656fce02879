/**
 * The experiment's result table: runs grouped by (method, column) where a column is a pair at a
 * target fraction; each cell the mean ± sample standard deviation of test F1 over seeds, the best
 * mean per column marked. Markdown for reading, CSV and JSON for tools.
 */
import type { RunRecord } from './runRecord.ts';

export interface Cell {
  mean: number;
  std: number;
  n: number;
  seconds: number;
}

export interface ResultTable {
  columns: string[];
  methods: string[];
  cells: Map<string, Cell>;
  best: Map<string, string>;
}

export function columnName(pair: string, fraction: number): string {
  return `${pair} @${Math.round(fraction * 1000) / 10}%`;
}

/**
 * The columns of `records`, by pair (in `pairOrder`; pairs not in it after, as stored), then by
 * fraction: a pair's 5%, 10% and 20% stand side by side even when they come from different folders.
 */
export function columnsOf(records: readonly RunRecord[], pairOrder: readonly string[] = []): string[] {
  const pairs = [...new Set([...pairOrder, ...records.map((r) => r.pair)])];
  const ordered = [...records].sort((a, b) => pairs.indexOf(a.pair) - pairs.indexOf(b.pair) || a.fraction - b.fraction);
  return [...new Set(ordered.map((r) => columnName(r.pair, r.fraction)))];
}

export function buildTable(records: readonly RunRecord[], methodOrder: readonly string[], columnOrder: readonly string[]): ResultTable {
  const groups = new Map<string, RunRecord[]>();
  for (const r of records) {
    const key = `${r.method}\u0000${columnName(r.pair, r.fraction)}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const cells = new Map<string, Cell>();
  for (const [key, rs] of groups) {
    const f = rs.map((r) => r.testF1);
    const mean = f.reduce((a, b) => a + b, 0) / f.length;
    const std = f.length > 1 ? Math.sqrt(f.reduce((a, b) => a + (b - mean) ** 2, 0) / (f.length - 1)) : 0;
    cells.set(key, { mean, std, n: f.length, seconds: rs.reduce((a, r) => a + r.seconds, 0) });
  }
  const best = new Map<string, string>();
  for (const col of columnOrder) {
    let top: string | null = null, topMean = -Infinity;
    for (const m of methodOrder) {
      const c = cells.get(`${m}\u0000${col}`);
      if (c && c.mean > topMean) { topMean = c.mean; top = m; }
    }
    if (top) best.set(col, top);
  }
  return { columns: [...columnOrder], methods: [...methodOrder], cells, best };
}

/** Markdown table, test F1 mean ± std (n seeds); the best mean of each column in bold. */
export function formatMarkdown(t: ResultTable, titles: Record<string, string> = {}): string {
  const head = `| method | ${t.columns.join(' | ')} |`;
  const rule = `|---|${t.columns.map(() => '---:').join('|')}|`;
  const rows = t.methods.map((m) => {
    const cells = t.columns.map((col) => {
      const c = t.cells.get(`${m}\u0000${col}`);
      if (!c) return '–';
      const text = `${c.mean.toFixed(2)} ± ${c.std.toFixed(2)}${c.n > 1 ? '' : ' (1 seed)'}`;
      return t.best.get(col) === m ? `**${text}**` : text;
    });
    return `| ${titles[m] ?? m} | ${cells.join(' | ')} |`;
  });
  return [head, rule, ...rows].join('\n');
}

/** One CSV row per run. */
export function formatCsv(records: readonly RunRecord[]): string {
  const cols: (keyof RunRecord)[] = ['pair', 'fraction', 'method', 'seed', 'testF1', 'testPrecision', 'testRecall', 'devF1', 'bestEpoch', 'epochs', 'seconds', 'configHash'];
  const esc = (v: unknown): string => (typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v));
  return [cols.join(','), ...records.map((r) => cols.map((c) => esc(r[c])).join(','))].join('\n') + '\n';
}
