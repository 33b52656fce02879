/**
 * `ladtl experiment`: the grid of (pair, target fraction, method, seed) runs, each trained by the one
 * trainer, selected on target dev, scored once on target test; a markdown table of mean ± std test F1
 * per method and column, plus JSON and CSV. A thin shell over lib/experiment: every finished run is
 * stored as its own JSON record, every running one checkpoints after each epoch, and a restarted
 * experiment skips the first and resumes the second.
 */
import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { lockOutput } from '../../io/outputLock.ts';
import { parseMethods, METHODS, type MethodSpec } from '../../transfer/index.ts';
import { OPTIMIZERS } from '../../train/index.ts';
import { PROTOCOLS, lookupProtocol, prepareColumn, gridRuns, assignRuns, runCost, columnName, type ExperimentSettings, type LoadedPair, type RunRecord } from '../../experiment/index.ts';
import { loadPairs, adHocPair, defaultDataDir } from '../../experiment/pairFiles.ts';
import { storedRunHashes } from '../../experiment/runStore.ts';
import { queueConnection } from '../queueOption.ts';
import { maskQueueArguments } from '../../experiment/queue/redisUrl.ts';
import type { QueuedRun } from '../queueSubmit.ts';
import { storedRecord, trainAndStore, runLabel, type RunProgress } from '../../experiment/runOrReuse.ts';
import { runLocalWorkers, workerSnapshot } from '../../experiment/localWorkers.ts';
import { writeReport } from '../../experiment/writeReport.ts';
import { UsageError, parseOptions, type OptionSpec, type ParsedOptions } from '../args.ts';
import { defineCommand, modelOptions } from '../command.ts';
import { formatDuration } from '../../experiment/runTimes.ts';
import { GridDisplay, resultLine, type GridEvent } from '../gridProgress.ts';
import { cliNodeArguments } from '../entry.ts';

/** The options that make a grid's settings (`settingsOf`): what a queue job carries to its worker. */
const SETTINGS_SPECS: Record<string, OptionSpec> = {
  protocol: { type: 'string', value: Object.keys(PROTOCOLS).join('|'), help: 'training protocol: every method\'s budget in source passes and its dev evaluations (docs/method.md); replaces the four options below' },
  epochs: { type: 'string', value: 'N', help: 'epochs (joint methods: passes over the target subset)', default: '30' },
  'pretrain-epochs': { type: 'string', value: 'N', help: 'INIT: epochs of source pre-training; source-only: epochs over the source', default: '3' },
  patience: { type: 'string', value: 'N', help: 'stop after N evaluations without a better target dev F1', default: '10' },
  'eval-every': { type: 'string', value: 'N', help: 'evaluate on target dev every N epochs', default: '2' },
  ...modelOptions(),
  alpha: { type: 'string', value: 'X', help: 'α: weight of the source CRF loss (E11)', default: '0.2' },
  mu: { type: 'string', value: 'X', help: 'μ: weight of each label\'s MMD² (E7)', default: '0.02' },
  'mu-global': { type: 'string', value: 'X', help: 'weight of the global MMD² (MMD baseline)', default: '0.1' },
  'gamma-w': { type: 'string', value: 'X', help: 'γ_W of parameter transfer (E10)', default: '0.1' },
  'gamma-b': { type: 'string', value: 'X', help: 'γ_b of parameter transfer (E10)', default: '0.1' },
  lambda: { type: 'string', value: 'X', help: 'λ of the L2 regulariser (E11)', default: '0.001' },
  'max-per-label': { type: 'string', value: 'N', help: 'La-MMD: at most N tokens per label and side (seeded sample)', default: '256' },
  unbiased: { type: 'boolean', help: 'unbiased MMD estimator (default: biased, as the authors)' },
  'check-finite': { type: 'boolean', help: 'check every op for NaN/Inf and name the first one (slower)' },
};

const SPECS: Record<string, OptionSpec> = {
  pair: { type: 'string', value: 'ID[,ID]', help: '(required, or --source and --target) transfer pair(s) from the pairs file' },
  pairs: { type: 'string', value: 'FILE', help: 'pairs file (default: DATA/pairs.json)' },
  data: { type: 'string', value: 'DIR', help: 'folder of the corpora (default: $LADTL_DATA or ../shared/data)' },
  source: { type: 'string', value: 'DIR', help: 'source corpus folder (instead of --pair)' },
  target: { type: 'string', value: 'DIR', help: 'target corpus folder (instead of --pair)' },
  'target-fraction': { type: 'string', value: 'P[,P]', help: 'fractions of target train used', default: '0.1' },
  methods: { type: 'string', value: 'all|M[,M]', help: `methods: ${Object.keys(METHODS).join(', ')}`, default: 'all' },
  seeds: { type: 'string', value: 'N', help: 'seeds 1..N per configuration', default: '1' },
  ...SETTINGS_SPECS,
  out: { type: 'string', value: 'DIR', help: 'results folder (runs are resumed from it)', default: 'runs/experiment' },
  jobs: { type: 'string', value: 'N', help: 'runs in parallel, one process each (one per core pays)', default: '1' },
  queue: { type: 'string', value: 'URL', help: 'run the grid on a Redis queue (redis://HOST:PORT[/DB], rediss:// for TLS) served by `ladtl worker` processes on any machines (docs/distributed.md)' },
  worker: { type: 'string', value: 'K/N', help: '(internal) run worker K of N: its share of the pending runs (balanced by method cost), no table' },
};

/** The grid's settings from `experiment` options (a queue job's `options`), validated as on the command line. */
export function settingsFromArguments(args: string[]): ExperimentSettings {
  return settingsOf(parseOptions('experiment', args, SETTINGS_SPECS));
}

/** The settings options given on this command line, as arguments (what a queue job carries). */
function settingArguments(o: ParsedOptions): string[] {
  return Object.entries(SETTINGS_SPECS).flatMap(([name, spec]) => {
    if (!o.has(name)) return [];
    if (spec.type === 'boolean') return o.boolean(name) ? [`--${name}`] : [];
    return [`--${name}`, o.string(name)];
  });
}

function fractions(o: ParsedOptions): number[] {
  return o.string('target-fraction').split(',').map((raw) => {
    const v = Number(raw);
    if (!(v > 0 && v <= 1)) throw new UsageError(`ladtl experiment: --target-fraction values must lie in (0, 1], got "${raw}"`);
    return v;
  });
}

/** The grid's settings from the options (the key order of `training` is part of the configuration hash). */
function settingsOf(o: ParsedOptions): ExperimentSettings {
  const protocolName = o.optionalString('protocol');
  if (protocolName !== undefined) {
    const clash = ['epochs', 'pretrain-epochs', 'patience', 'eval-every'].filter((n) => o.has(n));
    if (clash.length) throw new UsageError(`ladtl experiment: --protocol fixes the budget and evaluations; drop ${clash.map((n) => `--${n}`).join(', ')}`);
    if (!(protocolName in PROTOCOLS)) throw new UsageError(`ladtl experiment: unknown --protocol "${protocolName}"; known: ${Object.keys(PROTOCOLS).join(', ')}`);
  }
  const protocol = protocolName === undefined ? null : lookupProtocol(protocolName);
  return {
    training: {
      epochs: o.integer('epochs', 1), pretrainEpochs: o.integer('pretrain-epochs', 1), patience: o.integer('patience', 1), evalEvery: o.integer('eval-every', 1),
      // A protocol brings the paper's batch and learning rate; explicit options still win.
      batchSize: protocol && !o.has('batch') ? protocol.batchSize : o.integer('batch', 1), optimizer: o.choice('optimizer', OPTIMIZERS),
      learningRate: protocol && !o.has('lr') ? protocol.learningRate : o.number('lr', (v) => v > 0, 'a positive number'),
      clipNorm: o.number('clip', (v) => v >= 0, '>= 0') || undefined,
      hyper: {
        alpha: o.number('alpha', (v) => v >= 0 && v <= 1, 'in [0, 1]'), mu: o.number('mu', (v) => v >= 0, '>= 0'), muGlobal: o.number('mu-global', (v) => v >= 0, '>= 0'),
        gammaW: o.number('gamma-w', (v) => v >= 0, '>= 0'), gammaB: o.number('gamma-b', (v) => v >= 0, '>= 0'), lambda: o.number('lambda', (v) => v >= 0, '>= 0'),
        maxPerLabel: o.integer('max-per-label', 2), unbiased: o.boolean('unbiased'),
      },
    },
    protocol,
    char: o.choice('char', ['auto', 'cnn', 'lstm', 'none'] as const),
    model: { hidden: o.integer('hidden', 1), wordDim: o.integer('word-dim', 1), dropout: o.number('dropout', (v) => v >= 0 && v < 1, 'in [0, 1)') },
    checkFinite: o.boolean('check-finite'),
  };
}

function pairsOf(o: ParsedOptions): LoadedPair[] {
  const log = (line: string): void => console.log(line);
  if (o.has('source') || o.has('target')) {
    if (o.has('pair')) throw new UsageError('ladtl experiment: give --pair or --source/--target, not both');
    return [adHocPair(o.string('source'), o.string('target'), log)];
  }
  const dataDir = resolve(o.optionalString('data') ?? defaultDataDir());
  const pairsPath = o.optionalString('pairs') ?? join(dataDir, 'pairs.json');
  try {
    return loadPairs(pairsPath, o.string('pair').split(','), log);
  } catch (e) {
    if ((e as Error).message.startsWith('no pair ')) throw new UsageError(`ladtl experiment: ${(e as Error).message}`);
    throw e;
  }
}

export const experimentCommand = defineCommand('experiment', SPECS, async (o, givenArgv) => {
    // The queue URL may hold a password: lock files, reports and worker command lines get it masked.
    const argv = maskQueueArguments(givenArgv);
    const started = Date.now();
    const jobs = o.integer('jobs', 1);
    const worker = o.optionalString('worker');
    const [workerIndex, workerCount] = worker ? worker.split('/').map(Number) : [0, 1];
    if (worker && !(Number.isInteger(workerIndex) && Number.isInteger(workerCount) && workerIndex >= 0 && workerIndex < workerCount)) {
      throw new UsageError(`ladtl experiment: --worker must be K/N with 0 <= K < N, got "${worker}"`);
    }
    const queueUrl = o.optionalString('queue');
    if (queueUrl !== undefined) {
      if (jobs > 1 || worker) throw new UsageError('ladtl experiment: --queue hands the runs to `ladtl worker` processes; drop --jobs');
      if (o.has('source') || o.has('target')) throw new UsageError('ladtl experiment: --queue needs --pair (workers find a pair by its id in their own pairs file)');
      queueConnection('experiment', queueUrl);
    }
    const outDir = resolve(o.string('out'));
    const methods: MethodSpec[] = parseMethods(o.string('methods'));
    const fracs = fractions(o);
    const seeds = o.integer('seeds', 1);
    const settings = settingsOf(o);
    const pairs = pairsOf(o);

    // Under a protocol a run's cost grows with the source (its budget is in source passes): the
    // workers are balanced by it; zh-history-to-course's 3,063 source sentences weigh 1.
    const weights = settings.protocol ? Object.fromEntries(pairs.map((p) => [p.spec.id, p.source.files.train.length / 3063])) : {};
    const runs = gridRuns(outDir, pairs.map((p) => p.spec.id), fracs, methods, seeds, weights);
    // The process that shows the grid (not a worker) follows it on a GridDisplay; workers report to it.
    const display = worker ? null : new GridDisplay({ out: process.stdout, live: process.stderr, jobs, costs: new Map(runs.map((r) => [r.file, runCost(r)])) });
    const say = (line: string): void => (display ? display.line(line) : console.log(line));
    const reportEvent = (e: GridEvent): void => { if (worker) process.send?.(e); else display!.event(0, e); };
    if (worker && process.send) {
      // The IPC channel must not keep a finished worker alive...
      process.channel?.unref();
      // ...and when the parent is gone (killed, or its terminal closed): stop too; the run resumes from its checkpoint.
      process.on('disconnect', () => {
        console.error('parent process gone: stopping (a restart resumes this run from its last checkpoint)');
        process.exit(1);
      });
    }
    // One grid per results folder (its workers write under the parent's lock).
    let unlock = (): void => {};
    if (!worker) {
      mkdirSync(outDir, { recursive: true });
      unlock = lockOutput(outDir, `ladtl experiment ${argv.join(' ')}`);
    }
    try {
      const storedBefore = jobs > 1 && !worker ? storedRunHashes(outDir) : {};
      if (jobs > 1 && !worker) {
        // The workers store every run and report their progress; this process then reads the records.
        const code = await runLocalWorkers(cliNodeArguments(), argv, jobs, storedBefore, {
          line: (k, text, stream) => display!.line(text, k, stream === 'stdout' ? process.stdout : process.stderr),
          message: (k, m) => display!.event(k, m as GridEvent),
        });
        display!.finish();
        if (code !== 0) return code;
      }
      // After workers, the runs they did were reported by them: only those stored before are listed here.
      const afterWorkers = jobs > 1 && !worker;
      const snapshot = worker ? workerSnapshot() : {};
      const mine = worker ? assignRuns(runs, snapshot, workerCount)[workerIndex] : null;
      const records: RunRecord[] = [];
      const columns: string[] = [];
      const queued: QueuedRun[] = [];
      for (const pair of pairs) {
        for (const fraction of fracs) {
          columns.push(columnName(pair.spec.id, fraction));
          const column = prepareColumn(pair, fraction, settings);
          const c = column.corpus.counts;
          if (!afterWorkers) say(`${pair.spec.id} @${fraction}: source train ${c.sourceTrain}, target train ${c.targetTrain}, dev ${c.targetDev}, test ${c.targetTest} sentences; labels ${column.config.labels.join(' ')}; char ${column.char}${settings.protocol ? `; protocol ${settings.protocol.name}` : ''}`);
          for (const run of runs.filter((r) => r.pair === pair.spec.id && r.fraction === fraction)) {
            const { file } = run;
            const tag = runLabel(run);
            if (worker && snapshot[file] === column.configHash) {
              if (workerIndex === 0) reportEvent({ kind: 'done-before', run: file });
              continue;
            }
            if (worker && !mine!.has(file)) continue;
            const io = { say, warn: (line: string) => console.error(line), onProgress: (p: RunProgress) => reportEvent({ kind: 'progress', run: file, ...p }) };
            const stored = storedRecord(column, run, io);
            if (stored) {
              records.push(stored);
              if (!afterWorkers || storedBefore[file] === column.configHash) {
                say(`${tag}: done before (test F1 ${stored.testF1.toFixed(2)})`);
                reportEvent({ kind: 'done-before', run: file });
              }
              continue;
            }
            if (queueUrl !== undefined) {
              queued.push({ run, column });
              continue;
            }
            const record = trainAndStore(column, run, settings, io);
            records.push(record);
            say(resultLine(tag, record));
            reportEvent({ kind: 'finished', run: file });
          }
        }
      }
      if (queueUrl !== undefined && queued.length > 0) {
        const { submitAndFollow } = await import('../queueSubmit.ts');
        const { records: finished, failures } = await submitAndFollow(queueUrl, queued, settingArguments(o), display!);
        records.push(...finished);
        if (failures.length > 0) {
          display!.finish();
          console.error(`${failures.length} run${failures.length === 1 ? '' : 's'} failed on the queue (submit the grid again to retry):\n${failures.map((f) => `  ${f}`).join('\n')}`);
          return 1;
        }
      }
      display?.finish();
      if (worker) return 0;
      const report = await writeReport(outDir, {
        records, methods: methods.map((m) => m.name), titles: Object.fromEntries(methods.map((m) => [m.name, m.title])), columns, argv,
        title: `ladtl experiment: ${pairs.map((p) => p.spec.id).join(', ')}`,
        about: [`ladtl experiment ${argv.join(' ')}`, settings.protocol ? `Protocol ${settings.protocol.name}: ${settings.protocol.summary}.` : `Epochs: ${settings.training.epochs}, patience ${settings.training.patience}.`],
      });
      console.log(`\nTest F1 (mean ± std over ${seeds} seed${seeds > 1 ? 's' : ''}; best per column in bold), ${formatDuration((Date.now() - started) / 1000)}:\n\n${report.markdown}\n`);
      if (report.summary) console.log(`${report.summary}\n`);
      console.log(`report: ${report.html} (with results.md, results.csv, results.json, summary.md and figures/*.svg in ${outDir})`);
      return 0;
    } finally {
      unlock();
    }
});
