/**
 * This checkout against a fixed earlier commit, side by side in one process: the training steps
 * (single-domain tagger, char-level and with the char CNN; the La-DTL step of a source and a target
 * batch; MULT's step) and decoding, at the paper's sizes (embeddings 100, Bi-LSTM 100 per direction,
 * batch 15 × 40 tokens, 7 BIO tags, 5,000 words; bench/peers/syntheticBatch.ts), one core.
 *
 * The baseline is a git worktree of `BASELINE_COMMIT` under bench/.baseline/ (made on first use,
 * ignored by git); both trees' modules are imported into this process, each with its own backend
 * registry and wasm memories, and every case is built from that tree's own code with the same seeds.
 * Old and new are timed in alternating rounds (`timeRounds`: the order rotates every round), so a
 * change of machine load falls on both; the table gives medians, the spread over rounds and the
 * throughput ratio new/old (> 1: this checkout is faster).
 *
 * The baseline commit is the one issue 12 measured against: the last commit before the fused wasm
 * LSTM, SIMD MMD and the other speed work.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fmt, formatTable, timeRounds, type GroupResult, type SuiteOptions, type SuiteResult, type TimedCase } from './harness.ts';

export const BASELINE_COMMIT = '1d28f44';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..');

/** The baseline worktree's root, created with `git worktree add --detach` when missing. */
export function baselineTree(commit = BASELINE_COMMIT): string {
  const dir = join(here, '.baseline', commit);
  if (!existsSync(join(dir, 'lib'))) {
    execFileSync('git', ['-C', repoRoot, 'worktree', 'add', '--detach', '--force', dir, commit], { stdio: 'inherit' });
  }
  return dir;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
/** The training and decoding cases, built from the modules of the tree rooted at `root`. */
async function casesOf(root: string): Promise<Record<string, () => void>> {
  const load = (path: string): Promise<any> => import(pathToFileURL(join(root, path)).href);
  const [{ Rng }, { backward }, { Tagger }, { Adam }, sb, tb] = await Promise.all([
    load('lib/tensor/index.ts'), load('lib/autodiff/index.ts'), load('lib/nn/index.ts'), load('lib/train/index.ts'),
    load('bench/peers/syntheticBatch.ts'), load('bench/transfer.bench.ts'),
  ]);
  const { batch: B, length: T, vocab, chars } = sb.PAPER_SIZES;
  const tagger = (char: 'none' | 'cnn') => {
    const rng = new Rng(1);
    const model = new Tagger(sb.paperTaggerConfig(char), rng);
    const opt = new Adam(model.parameters(), 0.001);
    const batches = Array.from({ length: 8 }, () => sb.syntheticBatch(rng, B, T, vocab, chars, char === 'none' ? 1 : 12));
    let i = 0;
    return {
      train: (): void => {
        const loss = model.loss(batches[i++ % batches.length], true);
        opt.zeroGrad();
        backward(loss);
        opt.step();
      },
      decode: (): void => void model.decode(batches[i++ % batches.length]),
      // Input projections recomputed for every batch (the old tree has no such cache: same call).
      decodeCold: (): void => {
        model.encoder.clearInferenceCache?.();
        model.decode(batches[i++ % batches.length]);
      },
    };
  };
  const chinese = tagger('none'), words = tagger('cnn');
  const { step } = tb.transferStepSetup();
  return {
    'tagger train step (char-level)': chinese.train,
    'tagger train step (char CNN)': words.train,
    'La-DTL step (source + target batch)': step('la-dtl'),
    'MULT step (source + target batch)': step('mult'),
    'decode (char-level)': chinese.decode,
    'decode (char-level), cold inference cache': chinese.decodeCold,
  };
}

export async function run(options: SuiteOptions): Promise<SuiteResult> {
  const oldRoot = baselineTree();
  console.log(`\n== baseline: this checkout against ${BASELINE_COMMIT} (worktree ${oldRoot}), alternating rounds ==`);
  const [oldCases, newCases] = [await casesOf(oldRoot), await casesOf(repoRoot)];
  const rounds = options.quick ? 5 : 15, roundMs = options.quick ? 150 : 600;
  const groups: GroupResult[] = [];
  const rows: string[][] = [];
  for (const name of Object.keys(newCases)) {
    const cases: TimedCase[] = [{ name: BASELINE_COMMIT, fn: oldCases[name] }, { name: 'this checkout', fn: newCases[name] }];
    const [old, cur] = timeRounds(cases, { rounds, roundMs, minCalls: 2 });
    const speedup = old.medianMs / cur.medianMs;
    rows.push([name, `${fmt(old.medianMs)} (${fmt(old.minMs)}–${fmt(old.maxMs)})`, `${fmt(cur.medianMs)} (${fmt(cur.minMs)}–${fmt(cur.maxMs)})`, `${speedup.toFixed(2)}×`]);
    groups.push({
      name,
      params: { batch: 15, length: 40, rounds, roundMs },
      cases: [old, cur].map((r) => ({ name: r.name, msPerOp: r.medianMs, rmePercent: r.iqrPercent, samples: r.rounds })),
      ratios: { speedupOverBaseline: speedup },
      checks: { baselineMinMs: old.minMs, baselineMaxMs: old.maxMs, minMs: cur.minMs, maxMs: cur.maxMs },
    });
  }
  console.log(formatTable(['case (ms per batch, median (min–max) over rounds)', BASELINE_COMMIT, 'this checkout', 'speed-up'], rows));
  return { suite: 'baseline', meta: { baselineCommit: BASELINE_COMMIT, rounds, roundMs }, groups };
}
