/**
 * The experiment report (lib/experiment): the summary's verdicts, ranks and signed-rank test against
 * hand-computed values, and `writeReport` end to end on synthetic records: every file, figures that
 * show the methods and columns, a self-contained HTML page, and the test-F1 figure drawn in a real
 * headless Chromium (PNG kept in test-artifacts/).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { summarize, formatSummary, signedDifference, winsPerMethod } from '../../lib/experiment/summary.ts';
import { loadSignedRankTest } from '../../lib/experiment/statistics.ts';
import { writeReport } from '../../lib/experiment/writeReport.ts';
import { typeScores, formatTypeScores } from '../../lib/experiment/typeScores.ts';
import { replaceReportBlock } from '../../lib/experiment/reportBlock.ts';
import { runTimes, formatRunTimes, formatDuration } from '../../lib/experiment/runTimes.ts';
import { columnName, columnsOf, type RunRecord } from '../../lib/experiment/index.ts';

function record(pair: string, fraction: number, method: string, seed: number, testF1: number, history = true): RunRecord {
  return {
    pair, fraction, method, seed, testF1, testPrecision: testF1 + 1, testRecall: testF1 - 1, devF1: testF1 + 0.5, bestEpoch: 3, epochs: 4, seconds: 10, configHash: 'c0ffee00', steps: 40,
    history: history ? [1, 2, 3, 4].map((e) => ({ phase: 'train', epoch: e, step: 10 * e, loss: 5 / e, terms: { target: 4 / e }, dev: { precision: 50 + e, recall: 48 + e, f1: testF1 - 4 + e }, seconds: 1, evalSeconds: 0.1 })) : [],
  };
}

// Column a: la-dtl 80 ± 1, mult 70 ± 1 (apart), init 79.5 ± 1 (overlapping). Column b: init wins.
const grid: RunRecord[] = [
  ...[79, 80, 81].map((f, i) => record('a', 0.1, 'la-dtl', i + 1, f)),
  ...[69, 70, 71].map((f, i) => record('a', 0.1, 'mult', i + 1, f)),
  ...[78.5, 79.5, 80.5].map((f, i) => record('a', 0.1, 'init', i + 1, f)),
  ...[60, 61, 62].map((f, i) => record('b', 0.1, 'la-dtl', i + 1, f)),
  ...[59, 60, 61].map((f, i) => record('b', 0.1, 'mult', i + 1, f)),
  ...[66, 67, 68].map((f, i) => record('b', 0.1, 'init', i + 1, f)),
];
const methods = ['mult', 'init', 'la-dtl'];
const titles = { mult: 'MULT', init: 'INIT', 'la-dtl': 'La-DTL' };
const columns = [columnName('a', 0.1), columnName('b', 0.1)];

test('summarize: winner, rank, verdicts beyond the seed spread, wins and average rank', () => {
  const s = summarize(grid, methods, columns, 'la-dtl');
  assert.equal(s.columns.map((c) => [c.winner, c.rank]), [['la-dtl', 1], ['init', 2]]);
  assert.is(s.columns[0].versus.mult.verdict, 'better');
  assert.is(s.columns[0].versus.init.verdict, 'within spread');
  assert.is(s.columns[1].versus.init.verdict, 'worse');
  assert.is(s.columns[1].versus.mult.verdict, 'within spread');
  assert.ok(Math.abs(s.columns[0].versus.init.difference - 0.5) < 1e-12);
  assert.is(s.wins, 1);
  assert.is(s.averageRank, 1.5);
  assert.equal([s.tests.mult.better, s.tests.mult.worse, s.tests.init.better, s.tests.init.worse], [1, 0, 0, 1]);
  assert.match(formatSummary(s, titles), 'La-DTL wins 1 of 2 columns; average rank 1.50. Columns won: La-DTL 1, INIT 1.');
  assert.equal(winsPerMethod({ ...s, columns: [...s.columns, { ...s.columns[1] }] }), [['init', 2], ['la-dtl', 1]], 'most wins first');
  // One column only: no test (the signed-rank test needs two pairs of values), no error.
  const one = summarize(grid.filter((r) => r.pair === 'a'), methods, [columns[0]], 'la-dtl', () => { throw new Error('must not be called'); });
  assert.is(one.tests.mult.pValue, null);
  // One seed: no spread, so no verdict beyond it.
  const single = summarize(grid.filter((r) => r.seed === 1), methods, columns, 'la-dtl');
  assert.is(single.columns[0].versus.mult.verdict, 'one seed');
});

test('the signed-rank test gives the exact two-sided p-value: ten positive differences, p = 2/2^10', async () => {
  const wilcoxon = await loadSignedRankTest();
  const r = wilcoxon([1.2, 0.5, 0.3, 2, 1.1, 0.7, 0.9, 0.1, 1.5, 0.4]);
  assert.ok(Math.abs(r.pValue - 2 / 1024) < 1e-12, String(r.pValue));
  assert.is(r.statistic, 55);
  // One negative difference of the smallest rank: W+ = 54, p = 2·2/1024.
  assert.ok(Math.abs(wilcoxon([1.2, 0.5, 0.3, 2, 1.1, 0.7, 0.9, -0.1, 1.5, 0.4]).pValue - 4 / 1024) < 1e-12);
  // A statistic at the centre: doubling the tail would give more than 1.
  assert.is(wilcoxon([0.77, -0.14, 0.68, -2.26]).pValue, 1);
});

const out = mkdtempSync(join(tmpdir(), 'ladtl-report-'));
const records = [...grid, record('a', 0.2, 'la-dtl', 1, 85), record('a', 0.2, 'mult', 1, 84), record('a', 0.2, 'init', 1, 86, false)];

test('writeReport writes the tables, summary, three figures and one self-contained HTML page', async () => {
  const r = await writeReport(out, { records, methods, titles, columns: [...columns, columnName('a', 0.2)], title: 'unit grid' });
  for (const f of ['results.md', 'results.csv', 'results.json', 'summary.md', 'loss-terms.md', 'report.html', 'figures/test-f1.svg', 'figures/dev-curves.svg', 'figures/fractions.svg']) {
    assert.ok(existsSync(join(out, f)), `${f} missing`);
  }
  const svg = readFileSync(join(out, 'figures/test-f1.svg'), 'utf8');
  assert.match(svg, /^<svg/);
  for (const text of ['La-DTL', 'MULT', 'INIT', 'a @10%', 'b @10%', 'test F1']) assert.ok(svg.includes(text), `test-f1.svg lacks "${text}"`);
  const curves = readFileSync(join(out, 'figures/dev-curves.svg'), 'utf8');
  assert.ok(curves.includes('optimizer steps') && curves.includes('dev F1'));
  const html = readFileSync(r.html, 'utf8');
  assert.is((html.match(/<svg/g) ?? []).length, 3, 'three inline figures');
  assert.not.match(html, /<script|<link|src=/, 'self-contained: no scripts, links or external sources');
  assert.match(html, '<td class="best">80.00 ± 1.00</td>');
  // 21 synthetic runs of 10 s each.
  assert.is(r.runTime, "21 runs; run time 3m30s in all (the sum of the runs' own wall times; per run median 10s, 10s to 10s).");
  assert.match(html, "<p>21 runs; run time 3m30s in all (the sum of the runs&#39; own wall times; per run median 10s, 10s to 10s).</p>", 'escaped like all text of the page');
  assert.match(readFileSync(join(out, 'results.csv'), 'utf8').split('\n')[0], 'pair,fraction,method,seed,testF1');
  // The synthetic histories' target term falls from 4/1 to 4/4: mean over seeds, first → last epoch.
  assert.match(readFileSync(join(out, 'loss-terms.md'), 'utf8'), '| a @10% | La-DTL | – | – | 4.00 → 1.00 |');
});

test('columnsOf: columns by the given pair order, then by fraction; other pairs after, as stored', () => {
  const rs = [record('b', 0.2, 'init', 1, 50), record('a', 0.2, 'init', 1, 50), record('c', 0.1, 'init', 1, 50), record('b', 0.05, 'init', 1, 50), record('a', 0.1, 'init', 1, 50), record('b', 0.2, 'mult', 1, 50)];
  assert.equal(columnsOf(rs, ['b', 'a']), ['b @5%', 'b @20%', 'a @10%', 'a @20%', 'c @10%']);
  assert.equal(columnsOf(rs, ['a']), ['a @10%', 'a @20%', 'b @5%', 'b @20%', 'c @10%'], 'pairs not named follow in the order stored');
  assert.equal(columnsOf(rs), ['b @5%', 'b @20%', 'a @10%', 'a @20%', 'c @10%'], 'no order: pairs as stored, each by fraction');
});

test('signedDifference: a sign on every difference but one that rounds to zero', () => {
  assert.is(signedDifference(1.254), '+1.25');
  assert.is(signedDifference(-0.5), '-0.50');
  assert.is(signedDifference(-0.0004), '0.00', 'not -0.00');
  assert.is(signedDifference(0.0004), '0.00');
  assert.is(signedDifference(0), '0.00');
});

test('runTimes: sum, median and range of the runs\' seconds; formatDuration, the one duration format', () => {
  const withSeconds = [30, 7200, 125, 600].map((seconds, i) => ({ ...record('a', 0.1, 'init', i + 1, 50), seconds }));
  const t = runTimes(withSeconds)!;
  assert.equal(t, { runs: 4, total: 7955, median: 362.5, min: 30, max: 7200 });
  assert.is(runTimes(withSeconds.slice(1))!.median, 600, 'odd count: the middle one');
  assert.is(runTimes([]), null);
  assert.is(formatDuration(7955), '2h12m');
  assert.is(formatDuration(125), '2m05s');
  assert.is(formatDuration(42.4), '42s');
  assert.is(formatDuration(3599.6), '1h00m', 'rounded before it is split');
  assert.is(formatDuration(Infinity), '?', 'an unknown ETA');
  assert.is(formatDuration(-1), '?');
  assert.is(formatRunTimes(t), "4 runs; run time 2h12m in all (the sum of the runs' own wall times; per run median 6m03s, 30s to 2h00m).");
});

test('typeScores: mean test F1 per entity type over the seeds that kept it, types by gold count', async () => {
  const scores = (gene: number, chem: number) => ({
    Gene: { gold: 40, guessed: 40, correct: 0, precision: gene, recall: gene, f1: gene },
    Chem: { gold: 60, guessed: 60, correct: 0, precision: chem, recall: chem, f1: chem },
  });
  const typed: RunRecord[] = [
    { ...record('a', 0.1, 'la-dtl', 1, 80), testByType: scores(70, 90) },
    { ...record('a', 0.1, 'la-dtl', 2, 80), testByType: scores(60, 80) },
    { ...record('a', 0.1, 'mult', 1, 70), testByType: { Gene: scores(50, 0).Gene } },
    record('a', 0.1, 'init', 1, 79), // written before per-type scores were kept: left out
    record('b', 0.1, 'la-dtl', 1, 60),
  ];
  const t = typeScores(typed, methods, columns);
  assert.is(t.length, 1, 'column b has no per-type scores');
  assert.equal(t[0].types, ['Chem', 'Gene']);
  assert.equal(t[0].methods.map((m) => [m.method, m.runs, m.f1]), [['mult', 1, { Chem: 0, Gene: 50 }], ['la-dtl', 2, { Chem: 85, Gene: 65 }]]);
  assert.match(formatTypeScores(t, titles), '| La-DTL | 2 | 85.00 | 65.00 |');
  assert.match(formatTypeScores(t, titles), '| method | runs | Chem (60 gold) | Gene (40 gold) |');
  const dir = mkdtempSync(join(tmpdir(), 'ladtl-report-types-'));
  const r = await writeReport(dir, { records: typed, methods, titles, columns });
  assert.match(readFileSync(join(dir, 'by-type.md'), 'utf8'), '| MULT | 1 | 0.00 | 50.00 |');
  assert.match(readFileSync(r.html, 'utf8'), 'Test F1 per entity type');
});

test('replaceReportBlock: replaces only its own block; missing, unterminated and doubled blocks are named with their lines', () => {
  const doc = ['a', '<!-- ladtl report x: begin -->', 'old', '<!-- ladtl report: end -->', '<!-- ladtl report y: begin -->', 'keep', '<!-- ladtl report: end -->', 'z'].join('\n');
  assert.is(replaceReportBlock(doc, 'x', 'new\n\n', 'd.md'), doc.replace('old', 'new'));
  assert.is(replaceReportBlock(doc, 'y', 'other', 'd.md'), doc.replace('keep', 'other'));
  assert.throws(() => replaceReportBlock('a\n', 'x', '', 'd.md'), /d\.md has no line "<!-- ladtl report x: begin -->"/);
  assert.throws(() => replaceReportBlock('a\n<!-- ladtl report x: begin -->\nb', 'x', '', 'd.md'), /d\.md:2: .* has no "<!-- ladtl report: end -->" after it/);
  assert.throws(() => replaceReportBlock(`${doc}\n<!-- ladtl report x: begin -->`, 'x', '', 'd.md'), /d\.md:9: a second .*first is on line 2/);
  // An unclosed block must not swallow the next one.
  const unclosed = ['<!-- ladtl report x: begin -->', 'old', '<!-- ladtl report y: begin -->', 'keep', '<!-- ladtl report: end -->'].join('\n');
  assert.throws(() => replaceReportBlock(unclosed, 'x', 'new', 'd.md'), /d\.md:1: .* not closed .* next block begins on line 3/);
  // CRLF documents keep CRLF; the key is normalised (trailing slash, ./, backslashes).
  const crlf = doc.split('\n').join('\r\n');
  assert.is(replaceReportBlock(crlf, './x/', 'n1\nn2', 'd.md'), crlf.replace('old', 'n1\r\nn2'));
  assert.is(replaceReportBlock('<!-- ladtl report runs/a: begin -->\n<!-- ladtl report: end -->', 'runs\\a', 'v', 'd.md'), '<!-- ladtl report runs/a: begin -->\nv\n<!-- ladtl report: end -->');
});

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(executablePath);
const name = 'the test-F1 figure renders in headless Chromium: one bar per method and column, drawn pixels (PNG in test-artifacts/)';
(haveChromium ? test : test.skip)(haveChromium ? name : `${name} — skipped: no Chromium at ${executablePath}`, async () => {
  const svgPath = join(out, 'figures/test-f1.svg');
  if (!existsSync(svgPath)) await writeReport(out, { records, methods, titles, columns });
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    // Inlined in a page (a bare SVG document cannot be screenshot reliably).
    await page.setContent(`<!doctype html><html><body style="margin:0;background:#fff">${readFileSync(svgPath, 'utf8')}</body></html>`);
    // Vega draws each bar mark as a path inside a group with role-mark and class mark-rect.
    const bars = await page.locator('g.mark-rect path').count();
    assert.is(bars, 3 * 3, 'three methods in three columns');
    const box = await page.locator('svg').first().boundingBox();
    assert.ok(box && box.width > 300 && box.height > 150, `figure size ${JSON.stringify(box)}`);
    mkdirSync('test-artifacts', { recursive: true });
    const png = await page.locator('svg').first().screenshot({ path: resolve('test-artifacts/experiment-test-f1.png') });
    // The PNG signature, and more than a blank page's worth of bytes.
    assert.equal([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    assert.ok(png.length > 5000, `PNG of ${png.length} bytes`);
  } finally {
    await browser.close();
  }
});

test.run();
