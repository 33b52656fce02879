/**
 * The Bi-LSTM-CRF tagger against the same model written with TensorFlow.js ops
 * (bench/peers/tfjsTagger.ts) on TF.js's pure-JS (`cpu`) and WebAssembly (`wasm`) backends, in one
 * process, on the same synthetic batches as the tagger suite (paper sizes: embeddings 100, Bi-LSTM
 * 100 per direction, batch 15 × 40 tokens, 7 BIO tags with constraints, start/end scores,
 * 5,000-word vocabulary, no char encoder).
 *
 *  - train step: forward with dropout 0.5 on the embeddings, CRF NLL, backward, Adam (lr 0.001)
 *    over every parameter, embedding table included (dense in all three);
 *  - decode: forward without dropout, then Viterbi (ladtl: its kernel; TF.js: plain JS on the
 *    emissions read back with `dataSync`, see tfjsTagger.ts).
 * Throughput is sentences/s and real (non-padding) tokens/s, the mean over the 8 batches cycled
 * through; every figure is also given as a ratio to tfjs-cpu and to tfjs-wasm from the same run.
 *
 * Before anything is timed, all three start from ladtl's initial weights, and the suite checks that
 * they give the same loss (without dropout) and the same Viterbi paths, then that a few training
 * steps leave each one's loss finite and lower. From there the models drift apart: the dropout
 * masks come from different random streams, and TF.js's Adam is the TF1 form (see tfjsTagger.ts).
 *
 * Peak RSS: each implementation trains for a number of steps in a fresh process of its own
 * (bench/peers/rssProbe.ts), because RSS is per process and the wasm backend's memory never shrinks.
 *
 * Not like-for-like, so read the ratios with this in mind:
 *  - ladtl runs each LSTM direction and the CRF as fused ops with hand-written gradients; TF.js
 *    composes them from primitive ops per time step and differentiates them with its tape. That is
 *    the point of the comparison, but it means TF.js's numbers include its per-op overhead;
 *  - the TF.js LSTM keeps the four gates in separate weight blocks (Keras's `implementation=1`),
 *    which a smoke run found faster on both backends than tf.layers' one-block-then-split layout;
 *  - TF.js's embedding gradient is a scatter (`tf.scatterND`) because the wasm backend lacks the
 *    stock one; the same code runs on tfjs-cpu;
 *  - everything is single-threaded: the wasm backend runs without threads in Node (see `meta`);
 *  - ladtl computes in float32 with float64 in places (CRF scores); TF.js in float32.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type Benchmark from 'benchmark';
import type { TaggerBatch } from '../lib/nn/index.ts';
import { getBackend } from '../lib/backend/index.ts';
import { fmt, formatTable, timeCases, warmUp, type CaseResult, type GroupResult, type SuiteOptions, type SuiteResult, type TimedCase } from './harness.ts';
import { BATCH_COUNT, IMPL_NAMES, LEARNING_RATE, ladtlImpl, paperSetup, type ImplName, type TaggerImpl } from './peers/impls.ts';
import type { RssProbeResult } from './peers/rssProbe.ts';
import { PAPER_SIZES, realTokens } from './peers/syntheticBatch.ts';
import { TF_BACKENDS, initTf, tf, tfMeta } from './peers/tfjs.ts';
import { tfjsImpl } from './peers/tfjsTagger.ts';

/** Loss of the TF.js twins at ladtl's initial weights must agree to this relative difference. */
const LOSS_TOLERANCE = 1e-3;
/** Share of real tokens whose Viterbi tag must equal ladtl's at the same weights. */
const MIN_DECODE_AGREEMENT = 0.99;
const PEERS = ['tfjs-cpu', 'tfjs-wasm'] as const;
const PROBE_MARKER = 'RSS_PROBE ';

function relDiff(x: number, ref: number): number {
  return Math.abs(x - ref) / Math.max(Math.abs(ref), 1e-12);
}

/** Share of real (non-padding) positions where two tag sequences agree. */
function agreement(tags: Int32Array, ref: Int32Array): number {
  let same = 0, n = 0;
  for (let i = 0; i < ref.length; i++) {
    if (ref[i] < 0) continue;
    n++;
    if (tags[i] === ref[i]) same++;
  }
  return n > 0 ? same / n : NaN;
}

interface Sanity {
  evalLoss: number;
  lossRelDiff: number;
  decodeAgreement: number;
  trainLosses: number[];
  evalLossAfter: number;
}

/**
 * Same weights → same loss and paths; then `steps` training steps must keep the loss finite and
 * lower the loss (without dropout) of the first batch, which is among those trained on.
 */
function sanityCheck(impls: TaggerImpl[], batches: TaggerBatch[], steps: number): Record<ImplName, Sanity> {
  const out = {} as Record<ImplName, Sanity>;
  const checkBatches = batches.slice(0, 2);
  const ladtl = impls[0];
  const refLoss = checkBatches.map((b) => ladtl.evalLoss(b));
  const refTags = checkBatches.map((b) => ladtl.decode(b));
  for (const impl of impls) {
    impl.activate();
    const losses = checkBatches.map((b) => impl.evalLoss(b));
    const lossRelDiff = Math.max(...losses.map((l, i) => relDiff(l, refLoss[i])));
    const decodeAgreement = Math.min(...checkBatches.map((b, i) => agreement(impl.decode(b), refTags[i])));
    if (!(lossRelDiff <= LOSS_TOLERANCE)) {
      throw new Error(`peers: ${impl.name}'s loss at ladtl's initial weights is ${losses.join(', ')}, ladtl's ${refLoss.join(', ')} (relative difference ${lossRelDiff} > ${LOSS_TOLERANCE})`);
    }
    if (!(decodeAgreement >= MIN_DECODE_AGREEMENT)) {
      throw new Error(`peers: ${impl.name}'s Viterbi paths agree with ladtl's on only ${(100 * decodeAgreement).toFixed(1)}% of tokens at the same weights`);
    }
    const trainLosses: number[] = [];
    for (let s = 0; s < steps; s++) trainLosses.push(impl.trainStep(batches[s % batches.length]));
    const evalLossAfter = impl.evalLoss(batches[0]);
    if (!trainLosses.every(Number.isFinite) || !Number.isFinite(evalLossAfter)) {
      throw new Error(`peers: ${impl.name} produced a non-finite loss in training: ${trainLosses.join(', ')}; after: ${evalLossAfter}`);
    }
    if (!(evalLossAfter < losses[0])) {
      throw new Error(`peers: ${impl.name}'s loss did not decrease over ${steps} steps (${losses[0]} → ${evalLossAfter})`);
    }
    out[impl.name] = { evalLoss: losses[0], lossRelDiff, decodeAgreement, trainLosses, evalLossAfter };
  }
  return out;
}

/** Times `what` for every implementation, each cycling through the batches from the first. */
function timeGroup(label: string, impls: TaggerImpl[], batches: TaggerBatch[], what: (impl: TaggerImpl, b: TaggerBatch) => void, warmMs: number, timing: Benchmark.Options): CaseResult[] {
  const cases: TimedCase[] = impls.map((impl) => {
    let i = 0;
    const fn = (): void => what(impl, batches[i++ % batches.length]);
    impl.activate();
    if (warmMs > 0) warmUp(fn, warmMs);
    return { name: impl.name, fn, options: { onStart: () => impl.activate() } };
  });
  return timeCases(label, cases, timing);
}

/** Speed ratios of every case against each TF.js backend: peer time / case time, >1 = case faster. */
function speedRatios(cases: CaseResult[]): Record<string, number> {
  const ratios: Record<string, number> = {};
  for (const peer of PEERS) {
    const p = cases.find((c) => c.name === peer);
    if (!p) continue;
    for (const c of cases) if (c !== p) ratios[`${c.name} vs ${peer}`] = p.msPerOp / c.msPerOp;
  }
  return ratios;
}

function throughputGroup(name: string, what: string, cases: CaseResult[], sentences: number, tokens: number, extraChecks: Record<string, number>): GroupResult {
  const checks: Record<string, number> = {};
  for (const c of cases) {
    checks[`${c.name} sentences/s`] = sentences / (c.msPerOp / 1e3);
    checks[`${c.name} tokens/s`] = tokens / (c.msPerOp / 1e3);
  }
  return {
    name,
    params: { what, batch: PAPER_SIZES.batch, length: PAPER_SIZES.length, meanRealTokens: tokens, vocab: PAPER_SIZES.vocab, embedding: PAPER_SIZES.wordDim, hidden: PAPER_SIZES.hidden, tags: 7 },
    cases,
    ratios: speedRatios(cases),
    checks: { ...checks, ...extraChecks },
  };
}

function printThroughput(group: GroupResult, sentences: number, tokens: number): void {
  const ratio = (c: CaseResult, peer: string): string => (c.name === peer ? '1' : `${fmt(group.ratios[`${c.name} vs ${peer}`])}×`);
  console.log(`\n${group.name}`);
  console.log(formatTable(['case', 'ms/batch', '±rme', 'sentences/s', 'tokens/s', 'vs tfjs-cpu', 'vs tfjs-wasm'], group.cases.map((c) => [
    c.name, fmt(c.msPerOp), `±${c.rmePercent.toFixed(1)}%`, fmt(sentences / (c.msPerOp / 1e3)), fmt(tokens / (c.msPerOp / 1e3)), ratio(c, 'tfjs-cpu'), ratio(c, 'tfjs-wasm'),
  ])));
}

/** Runs the memory probe of `impl` in a fresh process. */
function probeRss(impl: ImplName, steps: number): RssProbeResult {
  const script = fileURLToPath(new URL('./peers/rssProbe.ts', import.meta.url));
  const r = spawnSync(process.execPath, [...process.execArgv, script, impl, String(steps)], { encoding: 'utf8', timeout: 600_000, maxBuffer: 16 * 2 ** 20 });
  const line = r.stdout?.split('\n').find((l) => l.startsWith(PROBE_MARKER));
  if (r.status !== 0 || !line) {
    throw new Error(`peers: memory probe of ${impl} failed (status ${r.status}${r.signal ? `, signal ${r.signal}` : ''}): ${r.error?.message ?? ''}${r.stderr?.slice(-2000) ?? ''}`);
  }
  return JSON.parse(line.slice(PROBE_MARKER.length)) as RssProbeResult;
}

export async function run(options: SuiteOptions): Promise<SuiteResult> {
  await initTf();
  const { batch: B } = PAPER_SIZES;
  const setup = paperSetup();
  const { batches } = setup;
  const tokens = batches.reduce((a, b) => a + realTokens(b), 0) / batches.length;
  const impls: TaggerImpl[] = [ladtlImpl(setup), ...TF_BACKENDS.map((backend) => tfjsImpl(backend, 'perGate', setup.constraints, setup.initial))];
  const meta: Record<string, unknown> = {
    ...tfMeta(),
    ladtlBackend: getBackend().name,
    learningRate: LEARNING_RATE,
    batches: BATCH_COUNT,
    lossTolerance: LOSS_TOLERANCE,
    minDecodeAgreement: MIN_DECODE_AGREEMENT,
    tfjsGateLayout: 'perGate',
    note: 'synthetic batches of bench/tagger.bench.ts (char none); all three start from ladtl\'s initial weights; ratios = peer time / case time (>1: case faster)',
  };
  console.log(
    `\n== peers: Bi-LSTM-CRF tagger, ladtl (${meta.ladtlBackend} backend) vs TF.js ${meta.tfjsCore} cpu / wasm ${meta.tfjsBackendWasm} ` +
      `(SIMD ${meta.wasmSimd ? 'on' : 'off'}, threads ${meta.wasmThreads ? 'on' : 'off'}) ==\n` +
      `batch ${B} × ${PAPER_SIZES.length} tokens (${fmt(tokens)} real tokens on average), vocabulary ${PAPER_SIZES.vocab}, embeddings ${PAPER_SIZES.wordDim}, ` +
      `Bi-LSTM ${PAPER_SIZES.hidden} per direction, 7 tags; "vs X" = X's time / the case's time, >1 means the case is faster`,
  );

  // Correctness first.
  const sanitySteps = options.quick ? 3 : 5;
  const sanity = sanityCheck(impls, batches, sanitySteps);
  console.log(`\nsanity: all three start from ladtl's initial weights; eval loss = mean CRF NLL without dropout; then ${sanitySteps} training steps (with dropout)`);
  console.log(formatTable(['case', 'eval loss', 'rel. diff vs ladtl', 'same tags as ladtl', `train losses (${sanitySteps} steps)`, 'eval loss after'], impls.map((impl) => {
    const s = sanity[impl.name];
    return [impl.name, fmt(s.evalLoss), s.lossRelDiff.toExponential(1), `${(100 * s.decodeAgreement).toFixed(1)}%`, s.trainLosses.map(fmt).join(' '), fmt(s.evalLossAfter)];
  })));

  const tensorsBefore = tf.memory().numTensors;
  const timing: Benchmark.Options = options.quick ? { minSamples: 2, maxTime: 0.3 } : { minSamples: 5, maxTime: 4 };
  // Under --quick the sanity checks are the only warm-up (every implementation trained and decoded).
  const train = timeGroup('peers train step', impls, batches, (impl, b) => void impl.trainStep(b), options.quick ? 0 : 1500, timing);
  const decode = timeGroup('peers decode', impls, batches, (impl, b) => void impl.decode(b), options.quick ? 0 : 800, timing);
  // A leak would mean a growing heap slowing the later samples down: fail rather than publish.
  const leaked = tf.memory().numTensors - tensorsBefore;
  if (leaked !== 0) throw new Error(`peers: ${leaked} tfjs tensors leaked while timing`);

  const sanityChecks: Record<string, number> = {};
  for (const impl of impls) {
    const s = sanity[impl.name];
    sanityChecks[`${impl.name} eval loss at init`] = s.evalLoss;
    sanityChecks[`${impl.name} loss rel. diff vs ladtl at init`] = s.lossRelDiff;
    sanityChecks[`${impl.name} decode agreement with ladtl at init`] = s.decodeAgreement;
    sanityChecks[`${impl.name} eval loss after ${sanitySteps} steps`] = s.evalLossAfter;
  }
  const trainGroup = throughputGroup(`train step (forward + backward + Adam), batch ${B} × ${PAPER_SIZES.length}`, 'train', train, B, tokens, sanityChecks);
  const decodeGroup = throughputGroup(`decode (forward + Viterbi), batch ${B} × ${PAPER_SIZES.length}`, 'decode', decode, B, tokens, {});
  printThroughput(trainGroup, B, tokens);
  printThroughput(decodeGroup, B, tokens);

  // Memory, one fresh process per implementation.
  const rssSteps = options.quick ? 3 : 20;
  const memory = {} as Record<ImplName, RssProbeResult>;
  for (const name of IMPL_NAMES) memory[name] = probeRss(name, rssSteps);
  const memoryRatios: Record<string, number> = {};
  for (const peer of PEERS) for (const name of IMPL_NAMES) if (name !== peer) memoryRatios[`${name} peak RSS / ${peer}`] = memory[name].peakStepMiB / memory[peer].peakStepMiB;
  meta.memory = memory;
  meta.memoryRatios = memoryRatios;
  for (const name of IMPL_NAMES) {
    trainGroup.checks![`${name} peak RSS MiB`] = memory[name].peakStepMiB;
    for (const peer of PEERS) if (name !== peer) trainGroup.checks![`${name} peak RSS / ${peer}`] = memoryRatios[`${name} peak RSS / ${peer}`];
  }
  console.log(`\nmemory: RSS of a fresh process per implementation over ${rssSteps} training steps (MiB; "/ X" = peak ÷ X's peak, <1 means less memory)`);
  console.log(formatTable(['case', 'after set-up', 'peak in steps', 'end', 'process max', 'tfjs tensors', '/ tfjs-cpu', '/ tfjs-wasm'], IMPL_NAMES.map((name) => {
    const m = memory[name];
    const r = (peer: string): string => (name === peer ? '1' : fmt(memoryRatios[`${name} peak RSS / ${peer}`]));
    return [name, fmt(m.setupMiB), fmt(m.peakStepMiB), fmt(m.endMiB), fmt(m.maxRssMiB), m.tfTensorMiB === undefined ? '—' : fmt(m.tfTensorMiB), r('tfjs-cpu'), r('tfjs-wasm')];
  })));
  const gradientLoad = PEERS.map((p) => memory[p].gradientLoadMiB).filter((x): x is number => x !== undefined);
  if (gradientLoad.length > 0) {
    console.log(`(the TF.js figures include ~${fmt(Math.max(...gradientLoad))} MiB for the second copy of tfjs-core loaded to register its gradients, see bench/peers/tfjs.ts)`);
  }

  for (const impl of impls) if ('model' in impl) (impl as TaggerImpl & { model: { dispose(): void } }).model.dispose();
  return { suite: 'peers', meta, groups: [trainGroup, decodeGroup] };
}
