/**
 * Test F1 per entity type, per method and column: the mean over seeds of each run's conlleval score
 * for the type (`RunRecord.testByType`). A method that trails on a pair usually trails on one type
 * (a rare one the target's few labels barely show, or one whose source and target senses differ);
 * this table says which. Records written before per-type scores were kept are left out.
 */
import type { RunRecord } from './runRecord.ts';
import { columnName } from './resultsTable.ts';

export interface ColumnTypeScores {
  column: string;
  /** Entity types in the order of their gold count in the test set, largest first. */
  types: string[];
  /** Gold chunks of each type in the target test set. */
  gold: Record<string, number>;
  /** Per method: runs with per-type scores, and each type's mean test F1 over them. */
  methods: { method: string; runs: number; f1: Record<string, number> }[];
}

export function typeScores(records: readonly RunRecord[], methods: readonly string[], columns: readonly string[]): ColumnTypeScores[] {
  const out: ColumnTypeScores[] = [];
  for (const column of columns) {
    const inColumn = records.filter((r) => r.testByType && columnName(r.pair, r.fraction) === column);
    if (inColumn.length === 0) continue;
    const gold: Record<string, number> = {};
    // Every run of a column scores the same test set, so any run's gold counts are the column's.
    for (const [type, t] of Object.entries(inColumn[0].testByType!)) gold[type] = t.gold;
    for (const r of inColumn) for (const type of Object.keys(r.testByType!)) gold[type] ??= 0;
    const types = Object.keys(gold).sort((a, b) => gold[b] - gold[a] || (a < b ? -1 : 1));
    const rows = [];
    for (const method of methods) {
      const runs = inColumn.filter((r) => r.method === method);
      if (runs.length === 0) continue;
      const f1: Record<string, number> = {};
      for (const type of types) f1[type] = runs.reduce((a, r) => a + (r.testByType![type]?.f1 ?? 0), 0) / runs.length;
      rows.push({ method, runs: runs.length, f1 });
    }
    out.push({ column, types, gold, methods: rows });
  }
  return out;
}

/** One markdown table per column: methods by entity type, with each type's gold count in its header. */
export function formatTypeScores(scores: readonly ColumnTypeScores[], titles: Readonly<Record<string, string>> = {}): string {
  return scores.map((c) => [
    `**${c.column}** (test F1 per entity type, mean over seeds)`,
    '',
    `| method | runs | ${c.types.map((t) => `${t} (${c.gold[t]} gold)`).join(' | ')} |`,
    `|---|---:|${c.types.map(() => '---:').join('|')}|`,
    ...c.methods.map((m) => `| ${titles[m.method] ?? m.method} | ${m.runs} | ${c.types.map((t) => m.f1[t].toFixed(2)).join(' | ')} |`),
  ].join('\n')).join('\n\n');
}
