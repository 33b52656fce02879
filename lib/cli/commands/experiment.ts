/**
 * `ladtl experiment`: the grid of (pair, target fraction, method, seed) runs, each trained by the one
 * trainer, selected on target dev, scored once on target test; a markdown table of mean ± std test F1
 * per method and column, plus JSON and CSV. Resumable: every finished run is stored as its own JSON
 * file (written atomically) and is not redone unless its configuration changed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync, readdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { readCorpusFile, readPairsFile, readOrderFile } from '../../data/nodeFiles.ts';
import { type PairSpec, type Sentence, type LabelMap, seededOrder, splitTag, isCharacterLevelCorpus } from '../../data/index.ts';
import { Rng } from '../../tensor/index.ts';
import { parseMethods, METHODS, type MethodSpec } from '../../transfer/index.ts';
import { crc32, crc32Hex } from '../../io/index.ts';
import { preparePairCorpus, trainTransfer, evaluateTagger, TRAINER_VERSION, buildTable, formatMarkdown, formatCsv, columnName, OPTIMIZERS, type RunRecord, type CorpusFiles } from '../../train/index.ts';
import type { TaggerConfig } from '../../nn/index.ts';
import { UsageError, type OptionSpec, type ParsedOptions } from '../args.ts';
import { defineCommand, modelOptions } from '../command.ts';
import { ProgressLine, formatDuration } from '../progress.ts';

const SPECS: Record<string, OptionSpec> = {
  pair: { type: 'string', value: 'ID[,ID]', help: 'transfer pair(s) from the pairs file' },
  pairs: { type: 'string', value: 'FILE', help: 'pairs file (default: DATA/pairs.json)' },
  data: { type: 'string', value: 'DIR', help: 'folder of the corpora (default: $LADTL_DATA or ../shared/data)' },
  source: { type: 'string', value: 'DIR', help: 'source corpus folder (instead of --pair)' },
  target: { type: 'string', value: 'DIR', help: 'target corpus folder (instead of --pair)' },
  'target-fraction': { type: 'string', value: 'P[,P]', help: 'fractions of target train used', default: '0.1' },
  methods: { type: 'string', value: 'all|M[,M]', help: `methods: ${Object.keys(METHODS).join(', ')}`, default: 'all' },
  seeds: { type: 'string', value: 'N', help: 'seeds 1..N per configuration', default: '1' },
  epochs: { type: 'string', value: 'N', help: 'epochs (joint methods: passes over the target subset)', default: '30' },
  'pretrain-epochs': { type: 'string', value: 'N', help: 'INIT: epochs of source pre-training; source-only: epochs over the source', default: '3' },
  patience: { type: 'string', value: 'N', help: 'stop after N evaluations without a better target dev F1', default: '10' },
  'eval-every': { type: 'string', value: 'N', help: 'evaluate on target dev every N epochs', default: '2' },
  ...modelOptions({ lr: '0.002', batch: '15' }),
  char: { type: 'string', value: 'auto|cnn|lstm|none', help: 'character encoder; auto: none for one-character tokens', default: 'auto' },
  alpha: { type: 'string', value: 'X', help: 'α: weight of the source CRF loss (E11)', default: '0.2' },
  mu: { type: 'string', value: 'X', help: 'μ: weight of each label\'s MMD² (E7)', default: '0.02' },
  'mu-global': { type: 'string', value: 'X', help: 'weight of the global MMD² (MMD baseline)', default: '0.1' },
  'gamma-w': { type: 'string', value: 'X', help: 'γ_W of parameter transfer (E10)', default: '0.1' },
  'gamma-b': { type: 'string', value: 'X', help: 'γ_b of parameter transfer (E10)', default: '0.1' },
  lambda: { type: 'string', value: 'X', help: 'λ of the L2 regulariser (E11)', default: '0.001' },
  'max-per-label': { type: 'string', value: 'N', help: 'La-MMD: at most N tokens per label and side (seeded sample)', default: '256' },
  unbiased: { type: 'boolean', help: 'unbiased MMD estimator (default: biased, as the authors)' },
  'check-finite': { type: 'boolean', help: 'check every op for NaN/Inf and name the first one (slower)' },
  out: { type: 'string', value: 'DIR', help: 'results folder (runs are resumed from it)', default: 'runs/experiment' },
  jobs: { type: 'string', value: 'N', help: 'runs in parallel, one process each (one per core pays)', default: '1' },
  worker: { type: 'string', value: 'K/N', help: '(internal) run worker K of N: its share of the pending runs (balanced by method cost), no table' },
};

interface GridSide { files: CorpusFiles; order: number[] }

function defaultDataDir(): string {
  return resolve(process.env.LADTL_DATA ?? '../shared/data');
}

function readSide(dir: string, name: string, labelMap: LabelMap, withSplits: boolean): GridSide {
  const train = readCorpusFile(join(dir, 'train.tsv'));
  const files: CorpusFiles = {
    name, train, labelMap,
    dev: withSplits ? readCorpusFile(join(dir, 'dev.tsv')) : undefined,
    test: withSplits ? readCorpusFile(join(dir, 'test.tsv')) : undefined,
  };
  const orderPath = join(dir, 'train.order.txt');
  // A corpus without train.order.txt gets a seeded order (reported, so the subset can be reproduced).
  const order = existsSync(orderPath) ? readOrderFile(orderPath, train.length) : seededOrder(train.length, new Rng(12345));
  if (!existsSync(orderPath) && withSplits) console.log(`${name}: no train.order.txt, using a seeded order (seed 12345)`);
  return { files, order };
}

function typesIn(sentences: readonly Sentence[]): Set<string> {
  const out = new Set<string>();
  for (const s of sentences) for (const t of s.tags) if (t !== 'O') out.add(splitTag(t).type);
  return out;
}

/** A pair from two folders: the types both corpora have are shared, the others become O. */
function adHocPair(sourceDir: string, targetDir: string): { spec: PairSpec; source: GridSide; target: GridSide } {
  const source = readSide(sourceDir, sourceDir, {}, false), target = readSide(targetDir, targetDir, {}, true);
  const ts = typesIn(source.files.train), tt = typesIn(target.files.train);
  const shared = [...ts].filter((t) => tt.has(t)).sort();
  if (shared.length === 0) throw new Error(`${sourceDir} and ${targetDir} share no entity type (source: ${[...ts].join(', ')}; target: ${[...tt].join(', ')})`);
  const map = (types: Set<string>): LabelMap => Object.fromEntries([...types].map((t) => [t, shared.includes(t) ? t : null]));
  source.files.labelMap = map(ts);
  target.files.labelMap = map(tt);
  const id = `${sourceDir.split('/').filter(Boolean).pop()}-to-${targetDir.split('/').filter(Boolean).pop()}`;
  return { spec: { id, group: null, source: { corpus: sourceDir, labelMap: source.files.labelMap }, target: { corpus: targetDir, labelMap: target.files.labelMap }, sharedLabels: shared, notes: null }, source, target };
}

/** CRC-32 of everything a run's data depends on. */
function corpusHash(spec: PairSpec, fraction: number, source: CorpusFiles, target: CorpusFiles, order: readonly number[]): string {
  const enc = new TextEncoder();
  let crc = crc32(enc.encode(JSON.stringify([spec.sharedLabels, source.labelMap, target.labelMap, fraction, order])));
  for (const split of [source.train, target.train, target.dev ?? [], target.test ?? []]) {
    for (const s of split) crc = crc32(enc.encode(`${s.tokens.join('\u0001')}\u0002${s.tags.join('\u0001')}\u0003`), crc);
  }
  return crc32Hex(crc);
}

function fractions(o: ParsedOptions): number[] {
  return o.string('target-fraction').split(',').map((raw) => {
    const v = Number(raw);
    if (!(v > 0 && v <= 1)) throw new UsageError(`ladtl experiment: --target-fraction values must lie in (0, 1], got "${raw}"`);
    return v;
  });
}

function writeJsonAtomic(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  renameSync(tmp, path);
}

const SNAPSHOT_ENV = 'LADTL_EXPERIMENT_SNAPSHOT';

/** Configuration hash of every stored run under `outDir`, by file path. */
function storedRuns(outDir: string): Record<string, string> {
  const root = join(outDir, 'runs');
  if (!existsSync(root)) return {};
  const out: Record<string, string> = {};
  for (const rel of readdirSync(root, { recursive: true }) as string[]) {
    if (!rel.endsWith('.json')) continue;
    const file = join(root, rel);
    try {
      out[file] = (JSON.parse(readFileSync(file, 'utf8')) as RunRecord).configHash;
    } catch {
      // An unreadable record is simply not done.
    }
  }
  return out;
}

/**
 * Relative cost of one run of each method (seconds on an idle machine, zh-history-to-course, 40 epochs):
 * used only to balance the workers, never to change what a run computes.
 */
const METHOD_COST: Record<string, number> = { 'target-only': 89, 'source-only': 78, merged: 98, init: 134, mult: 106, mmd: 164, 'la-mmd': 172, pt: 113, 'la-dtl': 134 };

function runFile(outDir: string, pair: string, fraction: number, method: string, seed: number): string {
  return join(outDir, 'runs', pair, String(fraction), method, `seed-${seed}.json`);
}

/**
 * Splits the grid over `workers` by longest-processing-time-first: each run, most expensive first,
 * goes to the least loaded worker. Runs already stored (in the snapshot) weigh nothing: they are
 * usually skipped, but still get an owner in case their configuration changed.
 */
function assignRuns(pairs: string[], fracs: number[], methods: MethodSpec[], seeds: number, outDir: string, snapshot: Record<string, string>, workers: number): Set<string>[] {
  const runs: { file: string; cost: number }[] = [];
  for (const pair of pairs) for (const fraction of fracs) for (const m of methods) for (let seed = 1; seed <= seeds; seed++) {
    const file = runFile(outDir, pair, fraction, m.name, seed);
    runs.push({ file, cost: file in snapshot ? 0 : METHOD_COST[m.name] ?? 120 });
  }
  const load = new Array<number>(workers).fill(0);
  const owned = Array.from({ length: workers }, () => new Set<string>());
  // Stable sort: equal costs keep grid order, so the assignment is the same in every worker.
  for (const r of runs.map((r, i) => ({ ...r, i })).sort((a, b) => b.cost - a.cost || a.i - b.i)) {
    let k = 0;
    for (let w = 1; w < workers; w++) if (load[w] < load[k]) k = w;
    load[k] += r.cost || 1e-9;
    owned[k].add(r.file);
  }
  return owned;
}

/**
 * Runs the grid in `jobs` child processes (each its share from `assignRuns`), passing their output
 * through with a prefix; resolves to the first non-zero exit code, or 0.
 */
function runWorkers(argv: string[], jobs: number, outDir: string): Promise<number> {
  const bin = fileURLToPath(new URL('../../../bin/ladtl.js', import.meta.url));
  const rest = argv.filter((a, i) => a !== '--jobs' && argv[i - 1] !== '--jobs' && !a.startsWith('--jobs='));
  // Every worker gets the same picture of what was finished before they started, so that they split
  // the *pending* runs evenly (a run finished meanwhile by one worker does not shift the others).
  const env = { ...process.env, [SNAPSHOT_ENV]: JSON.stringify(storedRuns(outDir)) };
  return Promise.all(Array.from({ length: jobs }, (_, k) => new Promise<number>((done) => {
    const child = spawn(process.execPath, [bin, 'experiment', ...rest, '--worker', `${k}/${jobs}`], { stdio: ['ignore', 'pipe', 'pipe'], env });
    const relay = (stream: NodeJS.ReadableStream, to: NodeJS.WriteStream): void => {
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) to.write(`[job ${k + 1}] ${line}\n`);
      });
      stream.on('end', () => { if (buffered) to.write(`[job ${k + 1}] ${buffered}\n`); });
    };
    relay(child.stdout!, process.stdout);
    relay(child.stderr!, process.stderr);
    child.on('close', (code) => done(code ?? 1));
  }))).then((codes) => codes.find((c) => c !== 0) ?? 0);
}

export const experimentCommand = defineCommand('experiment', 'run the compared methods on transfer pairs and print the result table', SPECS, async (o, argv) => {
    const started = Date.now();
    const jobs = o.integer('jobs', 1);
    const worker = o.optionalString('worker');
    const [workerIndex, workerCount] = worker ? worker.split('/').map(Number) : [0, 1];
    if (worker && !(Number.isInteger(workerIndex) && Number.isInteger(workerCount) && workerIndex >= 0 && workerIndex < workerCount)) {
      throw new UsageError(`ladtl experiment: --worker must be K/N with 0 <= K < N, got "${worker}"`);
    }
    if (jobs > 1 && !worker) {
      // The workers store every run; this process then finds them all done and prints the table.
      const code = await runWorkers(argv, jobs, resolve(o.string('out')));
      if (code !== 0) return code;
    }
    const methods: MethodSpec[] = parseMethods(o.string('methods'));
    const fracs = fractions(o);
    const seeds = o.integer('seeds', 1);
    const outDir = resolve(o.string('out'));
    const pairs: { spec: PairSpec; source: GridSide; target: GridSide }[] = [];
    if (o.has('source') || o.has('target')) {
      if (o.has('pair')) throw new UsageError('ladtl experiment: give --pair or --source/--target, not both');
      pairs.push(adHocPair(o.string('source'), o.string('target')));
    } else {
      const dataDir = resolve(o.optionalString('data') ?? defaultDataDir());
      const pairsPath = o.optionalString('pairs') ?? join(dataDir, 'pairs.json');
      const file = readPairsFile(pairsPath);
      for (const id of o.string('pair').split(',')) {
        const spec = file.pairs.find((p) => p.id === id.trim());
        if (!spec) throw new UsageError(`ladtl experiment: no pair "${id}" in ${pairsPath}; known: ${file.pairs.map((p) => p.id).join(', ')}`);
        const base = dirname(pairsPath);
        pairs.push({ spec, source: readSide(join(base, spec.source.corpus), spec.source.corpus, spec.source.labelMap, false), target: readSide(join(base, spec.target.corpus), spec.target.corpus, spec.target.labelMap, true) });
      }
    }

    const training = {
      epochs: o.integer('epochs', 1), pretrainEpochs: o.integer('pretrain-epochs', 1), patience: o.integer('patience', 1), evalEvery: o.integer('eval-every', 1),
      batchSize: o.integer('batch', 1), optimizer: o.choice('optimizer', OPTIMIZERS), learningRate: o.number('lr', (v) => v > 0, 'a positive number'),
      clipNorm: o.number('clip', (v) => v >= 0, '>= 0') || undefined,
      hyper: {
        alpha: o.number('alpha', (v) => v >= 0 && v <= 1, 'in [0, 1]'), mu: o.number('mu', (v) => v >= 0, '>= 0'), muGlobal: o.number('mu-global', (v) => v >= 0, '>= 0'),
        gammaW: o.number('gamma-w', (v) => v >= 0, '>= 0'), gammaB: o.number('gamma-b', (v) => v >= 0, '>= 0'), lambda: o.number('lambda', (v) => v >= 0, '>= 0'),
        maxPerLabel: o.integer('max-per-label', 2), unbiased: o.boolean('unbiased'),
      },
    };
    const charOption = o.choice('char', ['auto', 'cnn', 'lstm', 'none'] as const);
    const model = { hidden: o.integer('hidden', 1), wordDim: o.integer('word-dim', 1), dropout: o.number('dropout', (v) => v >= 0 && v < 1, 'in [0, 1)') };

    const total = pairs.length * fracs.length * methods.length * seeds;
    const records: RunRecord[] = [];
    const columns: string[] = [];
    const progress = new ProgressLine();
    let index = 0;
    const snapshot = worker ? JSON.parse(process.env[SNAPSHOT_ENV] ?? '{}') as Record<string, string> : {};
    const mine = worker ? assignRuns(pairs.map((p) => p.spec.id), fracs, methods, seeds, outDir, snapshot, workerCount)[workerIndex] : null;
    for (const pair of pairs) {
      const charLevel = isCharacterLevelCorpus(pair.target.files.train);
      const char = charOption === 'auto' ? (charLevel ? 'none' : 'cnn') : charOption;
      for (const fraction of fracs) {
        columns.push(columnName(pair.spec.id, fraction));
        const corpus = preparePairCorpus(pair.source.files, pair.target.files, {
          sharedLabels: pair.spec.sharedLabels, fraction, targetOrder: pair.target.order, scheme: 'BIO', chars: char !== 'none',
          minCount: 1, lowercase: !charLevel, normalizeDigits: true,
        });
        const c = corpus.counts;
        // What the runs were trained and scored on: the pair (label maps), the target subset and every
        // sentence. A stored run made on other data (a new order file, edited corpora) is redone.
        const dataHash = corpusHash(pair.spec, fraction, pair.source.files, pair.target.files, pair.target.order);
        console.log(`${pair.spec.id} @${fraction}: source train ${c.sourceTrain}, target train ${c.targetTrain}, dev ${c.targetDev}, test ${c.targetTest} sentences; labels ${corpus.vocab.labels.tags.join(' ')}; char ${char}`);
        const config: TaggerConfig = {
          encoder: { wordVocabularySize: corpus.vocab.words.size, wordDim: model.wordDim, char, charVocabularySize: corpus.vocab.chars?.size ?? 0, charDim: 30, charSize: 50, hidden: model.hidden, dropout: model.dropout },
          labels: [...corpus.vocab.labels.tags], scheme: 'BIO', constrained: true, boundary: true,
        };
        // Everything a run's outcome depends on but its method and seed (those are in its file path).
        const configHash = crc32Hex(crc32(new TextEncoder().encode(JSON.stringify({ config, training, counts: c, data: dataHash, trainer: TRAINER_VERSION }))));
        for (const method of methods) {
          for (let seed = 1; seed <= seeds; seed++) {
            index++;
            const file = runFile(outDir, pair.spec.id, fraction, method.name, seed);
            if (worker) {
              if (snapshot[file] === configHash || !mine!.has(file)) continue;
            }
            if (existsSync(file)) {
              const stored = JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
              if (stored.configHash === configHash) {
                records.push(stored);
                console.log(`[${index}/${total}] ${pair.spec.id} @${fraction} ${method.name} seed ${seed}: done before (test F1 ${stored.testF1.toFixed(2)})`);
                continue;
              }
              console.log(`[${index}/${total}] ${file}: configuration changed, running again`);
            }
            const t0 = Date.now();
            const run = trainTransfer(method, config, corpus.vocab, corpus.data, {
              ...training, seed, checkFinite: o.boolean('check-finite'),
              // Workers report finished runs only: several progress bars on one terminal are noise.
              onStep: worker ? undefined : (p) => progress.update({
                label: `[${index}/${total}] ${method.name} s${seed} ${p.phase} ep ${p.epoch}/${p.epochs}`, done: p.step, total: p.stepsInEpoch,
                fields: { loss: p.meanLoss.toFixed(3), 'tok/s': p.tokensPerSecond.toFixed(0) }, etaSeconds: p.etaSeconds,
              }),
            });
            progress.finish();
            const test = evaluateTagger(run.tagger, corpus.targetTest.sentences, corpus.targetTest.encoded, corpus.vocab);
            const record: RunRecord = {
              pair: pair.spec.id, fraction, method: method.name, seed, testF1: test.f1, testPrecision: test.precision, testRecall: test.recall,
              devF1: run.dev?.f1 ?? 0, bestEpoch: run.result.bestEpoch, epochs: run.result.epochs.length, seconds: (Date.now() - t0) / 1000, configHash,
            };
            writeJsonAtomic(file, record);
            records.push(record);
            console.log(`[${index}/${total}] ${pair.spec.id} @${fraction} ${method.name} seed ${seed}: test F1 ${test.f1.toFixed(2)} (P ${test.precision.toFixed(2)}, R ${test.recall.toFixed(2)}), dev F1 ${record.devF1.toFixed(2)} at epoch ${record.bestEpoch}, ${formatDuration(record.seconds)}`);
          }
        }
      }
    }
    if (worker) return 0;
    const table = buildTable(records, methods.map((m) => m.name), columns);
    const markdown = formatMarkdown(table, Object.fromEntries(methods.map((m) => [m.name, m.title])));
    console.log(`\nTest F1 (mean ± std over ${seeds} seed${seeds > 1 ? 's' : ''}; best per column in bold), ${formatDuration((Date.now() - started) / 1000)}:\n\n${markdown}\n`);
    writeJsonAtomic(join(outDir, 'results.json'), { argv, records });
    writeFileSync(join(outDir, 'results.csv'), formatCsv(records));
    writeFileSync(join(outDir, 'results.md'), markdown + '\n');
    console.log(`results: ${join(outDir, 'results.md')}, results.csv, results.json`);
    return 0;
});
