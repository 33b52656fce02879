/**
 * Does dev selection favour one method? For every method of a stored experiment: the mean gap between
 * the selected epoch's dev F1 and the test F1 (a method whose pick is luckier on dev has a larger
 * gap), the number of dev evaluations per run (more evaluations, more chances of a lucky pick), and
 * the mentions predicted per gold mention on test (recall / precision). docs/results.md, "Then the
 * protocol", quotes it:
 *   npx tsx examples/dev-selection-check.ts docs/results/reproduction/reproduction [PAIR]
 */
import { readRunRecords } from '../lib/experiment/runStore.ts';
import { METHOD_NAMES } from '../lib/transfer/index.ts';

const [dir, pair] = process.argv.slice(2);
if (!dir) throw new Error('usage: dev-selection-check.ts EXPERIMENT_DIR [PAIR]');
const records = readRunRecords(dir).filter((r) => pair === undefined || r.pair === pair);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log('| method | runs | dev F1 − test F1 (mean) | dev evaluations per run (min–max) | predicted per gold mention (mean) |');
console.log('|---|---:|---:|---:|---:|');
for (const m of METHOD_NAMES) {
  const rs = records.filter((r) => r.method === m);
  if (rs.length === 0) continue;
  const evals = rs.map((r) => (r.history ?? []).filter((h) => h.dev).length);
  const perGold = rs.filter((r) => r.testPrecision > 0).map((r) => r.testRecall / r.testPrecision);
  console.log(`| ${m} | ${rs.length} | ${mean(rs.map((r) => r.devF1 - r.testF1)).toFixed(2)} | ${Math.min(...evals)}–${Math.max(...evals)} | ${perGold.length ? mean(perGold).toFixed(2) : '–'} |`);
}
