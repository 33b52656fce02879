/**
 * The CLI in-process: train → model file → eval and tag, on a self-written corpus; usage errors and
 * bad input give one clear line and a non-zero exit code.
 */
import { test } from 'uvu';
import { decodeTagger } from '../../lib/io/index.ts';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../lib/cli/main.ts';
import { NerTagger } from '../../lib/embed/index.ts';
import { syntheticSentences, toConll } from '../helpers/syntheticCorpus.ts';

const dir = mkdtempSync(join(tmpdir(), 'ladtl-cli-'));
const trainFile = join(dir, 'train.tsv'), devFile = join(dir, 'dev.tsv'), model = join(dir, 'model.ladtl');
writeFileSync(trainFile, toConll(syntheticSentences(80, 1)));
writeFileSync(devFile, toConll(syntheticSentences(30, 2)));

/** Runs the CLI capturing stdout/stderr (console and process.stdout.write). */
async function run(args: string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const log = console.log, error = console.error, write = process.stdout.write.bind(process.stdout), ewrite = process.stderr.write.bind(process.stderr);
  console.log = (...a: unknown[]) => { out += a.join(' ') + '\n'; };
  console.error = (...a: unknown[]) => { err += a.join(' ') + '\n'; };
  process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => { err += s; return true; }) as typeof process.stderr.write;
  try {
    if (stdin !== undefined) {
      const f = join(dir, `stdin-${Math.random().toString(36).slice(2)}.txt`);
      writeFileSync(f, stdin);
      args = [...args, '--input', f];
    }
    const code = await main(args);
    return { code, out, err };
  } finally {
    console.log = log; console.error = error; process.stdout.write = write; process.stderr.write = ewrite;
  }
}

test('train writes a model that eval and tag can use', async () => {
  const r = await run(['train', '--train', trainFile, '--dev', devFile, '--test', devFile, '--out', model, '--epochs', '3', '--batch', '8', '--hidden', '16', '--word-dim', '16', '--lr', '0.01']);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /epoch 1: loss/);
  assert.match(r.out, /best epoch \d/);
  assert.match(r.out, /processed \d+ tokens with \d+ phrases/);
  assert.ok(existsSync(model));
  assert.equal(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temp files left behind');
  // The first training sentences are kept in the file (--keep-sample, default 200) for fine-tuning.
  const kept = decodeTagger(readFileSync(model)).sample;
  assert.ok(kept.length > 0 && kept.length <= 200, `kept ${kept.length} sentences`);

  const e = await run(['eval', '--model', model, '--test', devFile]);
  assert.is(e.code, 0, e.err);
  assert.match(e.out, /^processed \d+ tokens/);
  assert.match(e.out, /Disease: precision/);
  // The eval report equals the test report printed at the end of training (same model, same file).
  assert.ok(r.out.includes(e.out.trim().split('\n')[1]), 'eval and train agree');

  const t = await run(['tag', '--model', model, '--format', 'json'], 'the patient has breast cancer .\n\nshe was treated with aspirin for asthma .\n');
  assert.is(t.code, 0, t.err);
  const lines = t.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.is(lines.length, 2, 'blank lines are not sentences');
  assert.equal(lines.map((l) => l.line), [1, 3]);
  // One output for entities everywhere: the JSON line is what the embedding API gives (issue 14).
  const ner = new NerTagger(decodeTagger(readFileSync(model)));
  const api = ner.tagMany(['the patient has breast cancer .', 'she was treated with aspirin for asthma .'], { tokenize: 'spaces' });
  assert.equal(lines.map(({ line: _, ...rest }) => rest), JSON.parse(JSON.stringify(api)));
  assert.equal(lines[0].tokens.map((x: { text: string }) => x.text), ['the', 'patient', 'has', 'breast', 'cancer', '.']);
  const c = await run(['tag', '--model', model], 'the patient has asthma .\n');
  assert.is(c.out.trim().split('\n').length, 5);
  assert.match(c.out, /^the\t(O|B-\w+|I-\w+)$/m);

  // n-best: JSON carries the labellings and probabilities of NerTagger's nbest; CoNLL gets K tag columns.
  const n = await run(['tag', '--model', model, '--format', 'json', '--nbest', '3'], 'the patient has breast cancer .\n');
  assert.is(n.code, 0, n.err);
  const nb = JSON.parse(n.out).nbest;
  assert.equal(nb, JSON.parse(JSON.stringify(ner.tag('the patient has breast cancer .', { tokenize: 'spaces', nbest: 3 }).nbest)));
  assert.is(nb.length, 3);
  const k = await run(['tag', '--model', model, '--nbest', '3'], 'the patient has asthma .\n');
  const [head, ...rows] = k.out.trim().split('\n');
  assert.match(head, /^# nbest (\S+ ){2}\S+$/);
  assert.is(rows.length, 5);
  for (const row of rows) assert.is(row.split('\t').length, 4, row);
  // CoNLL input with the token column alone (issue 15, point 9).
  const only = await run(['tag', '--model', model, '--input-format', 'conll'], 'the\npatient\nhas\nasthma\n.\n');
  assert.is(only.code, 0, only.err);
  assert.equal(only.out, c.out);
  // A byte order mark is dropped at the very start only; a U+FEFF inside the text stays in its token (point 9).
  const bom = await run(['tag', '--model', model], '\uFEFFthe pat\uFEFFient\n');
  assert.is(bom.code, 0, bom.err);
  assert.equal(bom.out.trim().split('\n').map((l) => l.split('\t')[0]), ['the', 'pat\uFEFFient']);
});

test('usage errors: missing option, unknown option, bad number, unknown command', async () => {
  let r = await run(['train', '--train', trainFile]);
  assert.is(r.code, 2);
  assert.match(r.err, 'ladtl train: missing required options --dev, --out (see ladtl train --help)');
  assert.is(r.out, '', 'usage errors go to stderr');
  r = await run(['train', '--bogus']);
  assert.is(r.code, 2);
  assert.match(r.err, /bogus/);
  r = await run(['train', '--train', trainFile, '--dev', devFile, '--out', model, '--epochs', 'ten']);
  assert.is(r.code, 2);
  assert.match(r.err, /--epochs must be an integer >= 1, got "ten"/);
  // Malformed numbers that Number() would take, and a flag given twice (issue 15, point 9).
  for (const bad of ['0x1', '0b11', ' 5', '']) {
    r = await run(['train', '--train', trainFile, '--dev', devFile, '--out', model, '--epochs', bad]);
    assert.is(r.code, 2, `--epochs "${bad}"`);
    assert.match(r.err, `--epochs must be an integer >= 1, got "${bad}"`);
  }
  r = await run(['train', '--train', trainFile, '--dev', devFile, '--out', model, '--epochs', '2', '--epochs', '3']);
  assert.is(r.code, 2);
  assert.match(r.err, '--epochs is given more than once');
  r = await run(['nope']);
  assert.is(r.code, 2);
  assert.match(r.err, /unknown command "nope"/);
  r = await run([]);
  assert.is(r.code, 2, 'no command is a usage error');
  assert.is(r.out, '');
  assert.match(r.err, /^usage: ladtl <command>/);
});

test('score: a prediction file scored as conlleval.pl does (its report for the hand-derived sample)', async () => {
  const sample = fileURLToPath(new URL('../fixtures/eval/conlleval-sample.txt', import.meta.url));
  const r = await run(['score', '--input', sample]);
  assert.is(r.code, 0, r.err);
  // Totals derived by hand in test/eval/report.test.ts.
  assert.match(r.out, /^processed 40 tokens with 16 phrases; found: 18 phrases; correct: 10\.\naccuracy:  75\.00%; precision:  55\.56%; recall:  62\.50%; FB1:  58\.82\n/);
  assert.match(r.out, /^ +PER: precision:  80\.00%; recall:  80\.00%; FB1:  80\.00  5$/m);
  const j = await run(['score', '--input', sample, '--format', 'json']);
  const scores = JSON.parse(j.out);
  assert.is(scores.correctChunks, 10);
  assert.is(scores.byType.PER.f1, 80);
  const bad = await run(['score', '--input', fileURLToPath(new URL('../../README.md', import.meta.url))]);
  assert.is(bad.code, 1);
  assert.match(bad.err, /README\.md:3: unexpected number of features: \d+ \(expected 2\)/);
});

test('every command answers --help on stdout, required options marked, without running', async () => {
  const required: Record<string, string[]> = { train: ['train', 'dev', 'out'], eval: ['model', 'test'], tag: ['model'], score: [], experiment: [], report: [], backends: [] };
  const top = await run(['--help']);
  assert.is(top.code, 0);
  for (const [name, flags] of Object.entries(required)) {
    assert.match(top.out, new RegExp(`^  ${name} `, 'm'), `ladtl --help lists ${name}`);
    const r = await run([name, '--help']);
    assert.is(r.code, 0, name);
    assert.is(r.err, '', name);
    assert.match(r.out, new RegExp(`^usage: ladtl ${name} \\[options\\]`), name);
    const marked = [...r.out.matchAll(/^ {2}--([\w-]+).*\(required\)/gm)].map((m) => m[1]);
    assert.equal(marked, flags, `${name}: required options marked`);
  }
});

test('bad input: malformed corpus line, unknown label, missing and truncated model', async () => {
  // A directory or a missing path where a corpus file belongs, and --tag-column 0: the path or the option named (issue 15, point 9).
  let d = await run(['train', '--train', dir, '--dev', devFile, '--out', join(dir, 'x.ladtl')]);
  assert.is(d.code, 1);
  assert.match(d.err, `${dir}: cannot read: is a directory, not a file`);
  d = await run(['train', '--train', join(dir, 'missing.tsv'), '--dev', devFile, '--out', join(dir, 'x.ladtl')]);
  assert.match(d.err, `${join(dir, 'missing.tsv')}: cannot read: no such file`);
  d = await run(['train', '--train', trainFile, '--dev', devFile, '--out', join(dir, 'x.ladtl'), '--tag-column', '0']);
  assert.is(d.code, 2);
  assert.match(d.err, '--tag-column must be an integer >= 1, got "0"');
  const bad = join(dir, 'bad.tsv');
  writeFileSync(bad, 'the\tO\npatient\tI-Disease\n\n');
  let r = await run(['train', '--train', bad, '--dev', devFile, '--out', join(dir, 'x.ladtl')]);
  assert.is(r.code, 1);
  assert.match(r.err, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: `));
  const unknown = join(dir, 'unknown.tsv');
  writeFileSync(unknown, 'aspirin\tB-Chemical\n\n');
  r = await run(['eval', '--model', model, '--test', unknown]);
  assert.is(r.code, 1);
  assert.match(r.err, /unknown label "B-Chemical"/);
  r = await run(['eval', '--model', join(dir, 'missing.ladtl'), '--test', devFile]);
  assert.is(r.code, 1);
  assert.match(r.err, /no such model file/);
  const cut = join(dir, 'cut.ladtl');
  writeFileSync(cut, readFileSync(model).subarray(0, 200));
  r = await run(['eval', '--model', cut, '--test', devFile]);
  assert.is(r.code, 1);
  assert.match(r.err, /truncated/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
