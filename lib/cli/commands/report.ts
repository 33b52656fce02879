/**
 * `ladtl report`: the result table of one or more experiment folders, from their stored runs (also
 * from a grid that is still running or was interrupted), with each cell's wall time and dev F1.
 */
import { buildTable, formatMarkdown, columnName, columnsOf, type RunRecord } from '../../experiment/index.ts';
import { readRunRecords as readStored } from '../../experiment/runStore.ts';
import { writeReport, type WrittenReport } from '../../experiment/writeReport.ts';
import { replaceReportBlock } from '../../experiment/reportBlock.ts';
import { writeTextAtomic } from '../../experiment/runStore.ts';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { METHODS, METHOD_NAMES } from '../../transfer/index.ts';
import type { OptionSpec } from '../args.ts';
import { UsageError } from '../args.ts';
import { defineCommand } from '../command.ts';

const SPECS: Record<string, OptionSpec> = {
  out: { type: 'string', value: 'DIR[,DIR]', help: 'experiment folder(s) written by ladtl experiment --out', default: 'runs/experiment' },
  write: { type: 'string', value: 'DIR', help: 'write the tables, summary, figures (SVG) and report.html there (default: the --out folder, when there is one)' },
  'no-write': { type: 'boolean', help: 'only print the tables' },
  pair: { type: 'string', value: 'ID[,ID]', help: 'only the runs of these pairs (default: every stored pair)' },
  methods: { type: 'string', value: 'M[,M]', help: 'only the runs of these methods, in this order of the table (default: every stored method)' },
  markdown: { type: 'string', value: 'FILE', help: 'also put the table, summary and figure links into FILE, between its lines <!-- ladtl report DIR: begin --> and <!-- ladtl report: end --> (DIR as given to --out, commas and all)' },
};

/** The block `--markdown` puts into a document: the table, the summary and the figures, linked relative to the document. */
function markdownBlock(report: WrittenReport, command: string, documentPath: string): string {
  const link = (file: string) => relative(dirname(resolve(documentPath)), file).split('\\').join('/');
  return [
    `Test F1, mean ± std over seeds (best per column in bold; generated from the stored runs by \`${command}\`):`,
    '',
    report.markdown,
    ...(report.summary ? ['', report.summary] : []),
    '',
    ...(report.runTime ? [report.runTime, ''] : []),
    ...report.figures.flatMap((f) => [`![${f.title}](${link(f.file)})`, '']),
    `All of it, with every run and the loss terms: [report.html](${link(report.html)}).`,
  ].join('\n');
}

/** Every stored run record under `dir/runs`. */
export function readRunRecords(dir: string): RunRecord[] {
  try {
    return readStored(dir, (line) => console.error(line));
  } catch (e) {
    throw new UsageError(`ladtl report: ${(e as Error).message}`);
  }
}

/** The names of a list option, each of which must be among `known` (what is stored); all of `known` without the option. */
function listOption(value: string | undefined, option: string, known: readonly string[]): string[] {
  if (value === undefined) return [...known];
  const names = value.split(',').map((n) => n.trim()).filter((n) => n !== '');
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length || names.length === 0) throw new UsageError(`ladtl report: --${option} ${value}: no stored runs of ${unknown.join(', ') || 'any'}; stored: ${known.join(', ')}`);
  return names;
}

export const reportCommand = defineCommand('report', SPECS, async (o, argv) => {
  const dirs = o.string('out').split(',').map((d) => d.trim());
  const stored = dirs.flatMap((d) => readRunRecords(d));
  const pairs = listOption(o.optionalString('pair'), 'pair', [...new Set(stored.map((r) => r.pair))]);
  const chosen = listOption(o.optionalString('methods'), 'methods', METHOD_NAMES.filter((m) => stored.some((r) => r.method === m)));
  const records = stored.filter((r) => pairs.includes(r.pair) && chosen.includes(r.method));
  const columns = columnsOf(records, pairs);
  const methods = chosen;
  const titles = Object.fromEntries(METHOD_NAMES.map((m) => [m, METHODS[m].title]));
  const cellOf = (m: string, c: string): RunRecord[] => records.filter((r) => r.method === m && columnName(r.pair, r.fraction) === c);
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const side = (title: string, value: (rs: RunRecord[]) => string): string => [
    `| ${title} | ${columns.join(' | ')} |`, `|---|${columns.map(() => '---:').join('|')}|`,
    ...methods.map((m) => `| ${titles[m]} | ${columns.map((c) => { const rs = cellOf(m, c); return rs.length ? value(rs) : '–'; }).join(' | ')} |`),
  ].join('\n');
  console.log('Test F1, mean ± std over seeds (best per column in bold):\n');
  console.log(formatMarkdown(buildTable(records, methods, columns), titles));
  console.log('\nDev F1 of the selected epoch, mean over seeds:\n');
  console.log(side('method', (rs) => mean(rs.map((r) => r.devF1)).toFixed(2)));
  console.log('\nWall time per run, mean over seeds (seeds done):\n');
  console.log(side('method', (rs) => `${mean(rs.map((r) => r.seconds)).toFixed(0)} s (${rs.length})`));
  const target = o.boolean('no-write') ? null : o.optionalString('write') ?? (dirs.length === 1 ? dirs[0] : null);
  const documentPath = o.optionalString('markdown');
  if (documentPath !== undefined) {
    if (!target) throw new UsageError('ladtl report: --markdown links the figures it writes: give --write DIR with several --out folders, and not --no-write');
    if (!existsSync(documentPath)) throw new UsageError(`ladtl report: --markdown ${documentPath}: no such file`);
    // Before anything is written: a document without its block is refused with the folders untouched.
    replaceReportBlock(readFileSync(documentPath, 'utf8'), o.string('out'), '', documentPath);
  }
  if (target) {
    const report = await writeReport(resolve(target), { records, methods, titles, columns, argv, title: `ladtl report: ${dirs.join(', ')}`, about: [`ladtl report ${argv.join(' ')}`] });
    if (report.summary) console.log(`\n${report.summary}`);
    console.log(`\nreport: ${report.html}`);
    if (documentPath !== undefined) {
      const updated = replaceReportBlock(readFileSync(documentPath, 'utf8'), o.string('out'), markdownBlock(report, `ladtl report ${argv.join(' ')}`, documentPath), documentPath);
      writeTextAtomic(documentPath, updated);
      console.log(`updated: ${documentPath}`);
    }
  }
  return 0;
});
