/**
 * The experiment's HTML report: one self-contained page (inline SVG figures, no scripts, no links
 * out) with the result table, the summary, the figures and the per-run table.
 */
import type { ResultTable } from './resultsTable.ts';
import type { RunRecord } from './runRecord.ts';

export interface ReportPageContent {
  title: string;
  /** Lines about how the grid was run (command, protocol, code version). */
  about: string[];
  table: ResultTable;
  titles: Readonly<Record<string, string>>;
  /** The summary in markdown (summary.ts); shown preformatted. */
  summary: string | null;
  /** The loss-term scales in markdown (termScales.ts); shown preformatted. */
  terms?: string | null;
  /** Test F1 per entity type in markdown (typeScores.ts); shown preformatted. */
  types?: string | null;
  figures: { title: string; svg: string }[];
  records: readonly RunRecord[];
  /** How many runs and how long they took (runTimes.ts). */
  runTime?: string | null;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function resultTableHtml(t: ResultTable, titles: Readonly<Record<string, string>>): string {
  const head = `<tr><th>method</th>${t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const rows = t.methods.map((m) => `<tr><th>${escapeHtml(titles[m] ?? m)}</th>${t.columns.map((col) => {
    const c = t.cells.get(`${m}\u0000${col}`);
    if (!c) return '<td>–</td>';
    const text = `${c.mean.toFixed(2)} ± ${c.std.toFixed(2)}${c.n > 1 ? '' : ' (1 seed)'}`;
    return `<td${t.best.get(col) === m ? ' class="best"' : ''}>${text}</td>`;
  }).join('')}</tr>`);
  return `<table>${head}${rows.join('')}</table>`;
}

function runsTableHtml(records: readonly RunRecord[], titles: Readonly<Record<string, string>>): string {
  const cols = ['pair', 'fraction', 'method', 'seed', 'test F1', 'P', 'R', 'dev F1', 'selected epoch', 'epochs', 'steps', 'seconds'];
  const rows = records.map((r) => [r.pair, String(r.fraction), titles[r.method] ?? r.method, String(r.seed), r.testF1.toFixed(2), r.testPrecision.toFixed(2), r.testRecall.toFixed(2), r.devF1.toFixed(2), String(r.bestEpoch), String(r.epochs), String(r.steps ?? ''), r.seconds.toFixed(0)]);
  return `<table><tr>${cols.map((c) => `<th>${c}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((v) => `<td>${escapeHtml(v)}</td>`).join('')}</tr>`).join('')}</table>`;
}

export function reportPageHtml(c: ReportPageContent): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(c.title)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
td.best { font-weight: bold; background: #eef6ee; }
pre { background: #f6f6f6; padding: 1em; overflow-x: auto; }
figure { margin: 2em 0; } figcaption { font-weight: bold; margin-bottom: .5em; }
details summary { cursor: pointer; }
</style></head><body>
<h1>${escapeHtml(c.title)}</h1>
${c.about.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
<h2>Test F1 (mean ± std over seeds; best per column in bold)</h2>
${resultTableHtml(c.table, c.titles)}
${c.summary ? `<h2>Summary</h2>\n<pre>${escapeHtml(c.summary)}</pre>` : ''}
<h2>Figures</h2>
${c.figures.map((f) => `<figure><figcaption>${escapeHtml(f.title)}</figcaption>${f.svg.replace(/^<\?xml[^>]*>\s*/, '')}</figure>`).join('\n')}
${c.types ? `<h2>Test F1 per entity type (mean over seeds)</h2>\n<pre>${escapeHtml(c.types)}</pre>` : ''}
${c.terms ? `<h2>Loss terms (mean over seeds, first and last epoch)</h2>\n<pre>${escapeHtml(c.terms)}</pre>` : ''}
<h2>Runs</h2>
${c.runTime ? `<p>${escapeHtml(c.runTime)}</p>` : ''}
<details><summary>${c.records.length} runs</summary>${runsTableHtml(c.records, c.titles)}</details>
</body></html>
`;
}
