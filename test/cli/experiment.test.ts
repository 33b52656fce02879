/**
 * `ladtl experiment` on self-written source/target folders: the table is printed and written as
 * markdown, CSV and JSON; a second invocation resumes (every run "done before", same table); the
 * same seed gives the same table; parallel jobs give the same records as one process.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/cli/main.ts';
import { writePairFolders } from '../helpers/syntheticCorpus.ts';

const dir = mkdtempSync(join(tmpdir(), 'ladtl-exp-'));
const { source, target } = writePairFolders(dir, 11);

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const log = console.log, error = console.error, write = process.stderr.write.bind(process.stderr), owrite = process.stdout.write.bind(process.stdout);
  console.log = (...a: unknown[]) => { out += a.join(' ') + '\n'; };
  console.error = (...a: unknown[]) => { out += a.join(' ') + '\n'; };
  process.stderr.write = ((chunk: string) => { err += chunk; return true; }) as typeof process.stderr.write;
  process.stdout.write = ((chunk: string) => { out += chunk; return true; }) as typeof process.stdout.write;
  try {
    return { code: await main(args), out, err };
  } finally {
    console.log = log; console.error = error; process.stderr.write = write; process.stdout.write = owrite;
  }
}

const base = ['experiment', '--source', source, '--target', target, '--target-fraction', '0.5', '--methods', 'target-only,la-dtl', '--seeds', '2', '--epochs', '2', '--eval-every', '1', '--pretrain-epochs', '1', '--hidden', '8', '--word-dim', '8', '--batch', '8'];

test('prints and writes the table; resumes; same seed, same table', async () => {
  const out1 = join(dir, 'a');
  const first = await run([...base, '--out', out1]);
  assert.is(first.code, 0, first.out);
  assert.match(first.out, /\| method \| source-to-target @50% \|/);
  assert.match(first.out, /\| Target only \| .*\d+\.\d\d ± \d+\.\d\d/);
  assert.match(first.out, /\| La-DTL \|/);
  const md = readFileSync(join(out1, 'results.md'), 'utf8');
  const csv = readFileSync(join(out1, 'results.csv'), 'utf8').trim().split('\n');
  const json = JSON.parse(readFileSync(join(out1, 'results.json'), 'utf8'));
  assert.is(csv.length, 1 + 4, 'header + 2 methods × 2 seeds');
  assert.is(json.records.length, 4);
  assert.ok(first.out.includes(md.trim()));

  const again = await run([...base, '--out', out1]);
  assert.is(again.code, 0);
  assert.is((again.out.match(/done before/g) ?? []).length, 4, 'nothing is redone');
  assert.is(readFileSync(join(out1, 'results.md'), 'utf8'), md);

  const fresh = await run([...base, '--out', join(dir, 'b')]);
  assert.is(readFileSync(join(dir, 'b', 'results.md'), 'utf8'), md, 'same seeds, same table');
  const byKey = (records: { method: string; seed: number; testF1: number }[]) => records.map((r) => `${r.method}/${r.seed}/${r.testF1}`).sort();
  assert.equal(byKey(JSON.parse(readFileSync(join(dir, 'b', 'results.json'), 'utf8')).records), byKey(json.records));
  void fresh;
});

test('--jobs 2 splits the pending runs over two processes and gives the same records', async () => {
  const out = join(dir, 'jobs');
  const r = await run([...base, '--jobs', '2', '--out', out]);
  assert.is(r.code, 0, r.out);
  const byKey = (file: string) => (JSON.parse(readFileSync(file, 'utf8')).records as { method: string; seed: number; testF1: number }[]).map((x) => `${x.method}/${x.seed}/${x.testF1}`).sort();
  assert.equal(byKey(join(out, 'results.json')), byKey(join(dir, 'a', 'results.json')));
  // Each run is reported once, by the worker that ran it; the grid line follows every finished run.
  assert.is((r.out.match(/^\[job [12]\] .* seed [12]: test F1 /gm) ?? []).length, 4, r.out);
  assert.not.match(r.out, /done before/);
  assert.match(r.err, /^grid: 4\/4 runs done, 0 running, ETA 0s$/m);
  // A second invocation finds every run stored: one line each, no worker reports them twice.
  const again = await run([...base, '--jobs', '2', '--out', out]);
  assert.is((again.out.match(/done before/g) ?? []).length, 4, again.out);
});

test('report prints the stored runs: test F1 table, dev F1 and wall time', async () => {
  const r = await run(['report', '--out', join(dir, 'a')]);
  assert.is(r.code, 0, r.out);
  assert.ok(r.out.includes(readFileSync(join(dir, 'a', 'results.md'), 'utf8').trim()), 'same table as the experiment printed');
  assert.match(r.out, /Wall time per run/);
  assert.match(r.out, /\| La-DTL \| \d+ s \(2\) \|/);
  const missing = await run(['report', '--out', join(dir, 'nowhere')]);
  assert.is(missing.code, 2);
  assert.match(missing.out, /does not exist/);
  // Filters: only La-DTL's row; a method with no stored run is named with what is stored.
  const only = await run(['report', '--out', join(dir, 'a'), '--no-write', '--methods', 'la-dtl', '--pair', 'source-to-target']);
  assert.is(only.code, 0, only.out);
  assert.match(only.out, /\| La-DTL \|/);
  assert.not.match(only.out, /\| Target only \|/);
  const none = await run(['report', '--out', join(dir, 'a'), '--no-write', '--methods', 'mult']);
  assert.is(none.code, 2);
  assert.match(none.out, '--methods mult: no stored runs of mult; stored: target-only, la-dtl');
});

test('report over several folders orders the columns by pair, then fraction, whatever the folder order', async () => {
  // Folder b holds a's runs relabelled as 25% of the target; named after a, its column still comes first.
  const from = join(dir, 'a', 'runs', 'source-to-target', '0.5');
  for (const method of readdirSync(from)) {
    mkdirSync(join(dir, 'b', 'runs', 'source-to-target', '0.25', method), { recursive: true });
    for (const file of readdirSync(join(from, method)).filter((f) => f.endsWith('.json'))) {
      const record = { ...JSON.parse(readFileSync(join(from, method, file), 'utf8')), fraction: 0.25 };
      writeFileSync(join(dir, 'b', 'runs', 'source-to-target', '0.25', method, file), JSON.stringify(record));
    }
  }
  const r = await run(['report', '--out', `${join(dir, 'a')},${join(dir, 'b')}`, '--no-write']);
  assert.is(r.code, 0, r.out);
  assert.match(r.out, '| method | source-to-target @25% | source-to-target @50% |');
});

test('report --markdown replaces its block in a document, keeps the rest, and names a missing block', async () => {
  const doc = join(dir, 'doc', 'results.md');
  mkdirSync(join(dir, 'doc'), { recursive: true });
  const folder = join(dir, 'a');
  writeFileSync(doc, `# Results\n\nintro\n<!-- ladtl report ${folder}: begin -->\nstale table\n<!-- ladtl report: end -->\n\nafter\n`);
  const r = await run(['report', '--out', folder, '--markdown', doc]);
  assert.is(r.code, 0, r.out);
  const text = readFileSync(doc, 'utf8');
  assert.not.match(text, 'stale table');
  assert.ok(text.startsWith('# Results\n\nintro\n') && text.endsWith('<!-- ladtl report: end -->\n\nafter\n'), text);
  assert.ok(text.includes(readFileSync(join(folder, 'results.md'), 'utf8').trim()), 'the table');
  assert.match(text, '](../a/figures/test-f1.svg)');
  assert.match(text, '[report.html](../a/report.html)');
  assert.match(text, /\n\d+ runs; run time .+ in all/, 'the run time line');
  // Idempotent: a second run leaves the document as it is.
  assert.is((await run(['report', '--out', folder, '--markdown', doc])).code, 0);
  assert.is(readFileSync(doc, 'utf8'), text);
  writeFileSync(doc, '# no block\n');
  const missing = await run(['report', '--out', folder, '--markdown', doc]);
  assert.is(missing.code, 1);
  assert.match(missing.out, `${doc} has no line "<!-- ladtl report ${folder}: begin -->"`);
  assert.is(readFileSync(doc, 'utf8'), '# no block\n', 'left untouched');
  // The folder named with a trailing slash finds the same block.
  writeFileSync(doc, text);
  assert.is((await run(['report', '--out', `${folder}/`, '--markdown', doc])).code, 0);
  assert.match(readFileSync(doc, 'utf8'), `generated from the stored runs by \`ladtl report --out ${folder}/ --markdown ${doc}\``);
});

test('a changed configuration is run again', async () => {
  const out1 = join(dir, 'a');
  const changed = await run([...base.map((a) => (a === '8' ? '6' : a)), '--out', out1]);
  assert.is(changed.code, 0);
  assert.match(changed.out, /configuration changed, running again/);
});

test('changed data (another target order) is run again', async () => {
  const out1 = join(dir, 'a');
  writeFileSync(join(target, 'train.order.txt'), Array.from({ length: 40 }, (_, i) => 39 - i).join('\n') + '\n');
  try {
    const r = await run([...base, '--out', out1]);
    assert.is(r.code, 0);
    assert.match(r.out, /configuration changed, running again/);
  } finally {
    rmSync(join(target, 'train.order.txt'));
  }
});

test('bad arguments: unknown method, fraction out of range, --pair with --source', async () => {
  let r = await run(['experiment', '--source', source, '--target', target, '--methods', 'magic']);
  assert.is(r.code, 1);
  assert.match(r.out, /unknown method "magic"/);
  r = await run(['experiment', '--source', source, '--target', target, '--target-fraction', '1.5']);
  assert.is(r.code, 2);
  assert.match(r.out, /--target-fraction/);
  r = await run(['experiment', '--pair', 'x', '--source', source, '--target', target]);
  assert.is(r.code, 2);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
