/**
 * Node helper: everything an experiment folder shows, from its run records: `results.md` (table),
 * `results.csv` and `results.json` (one row / object per run), `summary.md`, `loss-terms.md`, `by-type.md`, the figures as
 * `figures/*.svg`, and `report.html`, one self-contained page with all of it. Written by
 * `ladtl experiment` at the end of a grid and by `ladtl report` at any time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTable, formatMarkdown, formatCsv } from './resultsTable.ts';
import { summarize, formatSummary } from './summary.ts';
import { experimentFigures } from './figures.ts';
import { renderSvg } from './renderFigures.ts';
import { loadSignedRankTest } from './statistics.ts';
import { reportPageHtml } from './reportPage.ts';
import { termScales, formatTermScales } from './termScales.ts';
import { typeScores, formatTypeScores } from './typeScores.ts';
import { writeJsonAtomic } from './runStore.ts';
import { runTimes, formatRunTimes } from './runTimes.ts';
import type { RunRecord } from './runRecord.ts';

export interface ReportInput {
  records: readonly RunRecord[];
  /** Methods in table order, and their display names. */
  methods: readonly string[];
  titles: Readonly<Record<string, string>>;
  columns: readonly string[];
  /** The method the summary is about (default `la-dtl` when it ran). */
  focus?: string;
  title?: string;
  about?: string[];
  /** Stored in results.json (e.g. the command line). */
  argv?: readonly string[];
}

export interface WrittenReport {
  markdown: string;
  summary: string | null;
  /** How many runs and how long they took (runTimes.ts); null without records. */
  runTime: string | null;
  html: string;
  files: string[];
  /** The SVG figures written, with their titles. */
  figures: { file: string; title: string }[];
}

export async function writeReport(outDir: string, r: ReportInput): Promise<WrittenReport> {
  mkdirSync(join(outDir, 'figures'), { recursive: true });
  const table = buildTable(r.records, r.methods, r.columns);
  const markdown = formatMarkdown(table, r.titles);
  const focus = r.focus ?? 'la-dtl';
  const summary = r.methods.includes(focus) && r.methods.length > 1
    ? formatSummary(summarize(r.records, r.methods, r.columns, focus, await loadSignedRankTest()), r.titles)
    : null;
  const figures: { file: string; title: string; svg: string }[] = [];
  const files = [join(outDir, 'results.md'), join(outDir, 'results.csv'), join(outDir, 'results.json')];
  for (const f of experimentFigures(r.records, { order: r.methods, titles: r.titles })) {
    const svg = await renderSvg(f);
    const file = join(outDir, 'figures', `${f.name}.svg`);
    writeFileSync(file, svg);
    files.push(file);
    figures.push({ file, title: f.title, svg });
  }
  writeFileSync(join(outDir, 'results.md'), markdown + '\n');
  writeFileSync(join(outDir, 'results.csv'), formatCsv(r.records));
  writeJsonAtomic(join(outDir, 'results.json'), { argv: r.argv ?? null, records: r.records });
  if (summary) {
    writeFileSync(join(outDir, 'summary.md'), summary + '\n');
    files.push(join(outDir, 'summary.md'));
  }
  const scales = termScales(r.records, r.methods, r.columns);
  const terms = scales.length ? formatTermScales(scales, r.titles) : null;
  if (terms) {
    writeFileSync(join(outDir, 'loss-terms.md'), terms + '\n');
    files.push(join(outDir, 'loss-terms.md'));
  }
  const perType = typeScores(r.records, r.methods, r.columns);
  const types = perType.length ? formatTypeScores(perType, r.titles) : null;
  if (types) {
    writeFileSync(join(outDir, 'by-type.md'), types + '\n');
    files.push(join(outDir, 'by-type.md'));
  }
  const times = runTimes(r.records);
  const runTime = times ? formatRunTimes(times) : null;
  const html = join(outDir, 'report.html');
  writeFileSync(html, reportPageHtml({ title: r.title ?? 'ladtl experiment', about: r.about ?? [], table, titles: r.titles, summary, terms, types, figures, records: r.records, runTime }));
  files.push(html);
  return { markdown, summary, runTime, html, files, figures: figures.map(({ file, title }) => ({ file, title })) };
}
