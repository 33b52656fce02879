/**
 * The Bi-LSTM-CRF tagger against the same model written with TensorFlow.js ops
 * (bench/peers/tfjsTagger.ts) on TF.js's pure-JS (`cpu`) and WebAssembly (`wasm`) backends, in this
 * process, and with PyTorch on the CPU (bench/peers/torch_tagger.py) in a Python process driven from
 * this one (bench/peers/torchPeer.ts), all on the same synthetic batches as the tagger suite (paper
 * sizes: embeddings 100, Bi-LSTM 100 per direction, batch 15 × 40 tokens, 7 BIO tags with
 * constraints, start/end scores, 5,000-word vocabulary, no char encoder).
 *
 *  - train step: forward with dropout 0.5 on the embeddings, CRF NLL, backward, Adam (lr 0.001)
 *    over every parameter, embedding table included (dense in all four);
 *  - decode: forward without dropout, then Viterbi (ladtl: its kernel; TF.js: plain JS on the
 *    emissions read back with `dataSync`, see tfjsTagger.ts; PyTorch: torch ops).
 *
 * Timing: the contenders are alternated in rounds (`timeRounds` in harness.ts: each round runs every
 * contender for about `roundMs`, in an order that rotates from round to round), so that changes of
 * machine load affect all of them alike. Every figure is the median over rounds of the per-round
 * mean, with the spread (min–max and interquartile range over rounds); ratios are ratios of medians,
 * and the per-round ratios (same round, so the same machine state) give their spread. Throughput is
 * sentences/s and real (non-padding) tokens/s, over the 8 batches cycled through.
 *
 * Layouts: each peer is timed in the fastest of its equivalent layouts, picked in this run for each
 * operation (train, decode) by a short alternating comparison (printed, and in `meta.layouts`), so
 * a peer may train in one layout and decode in another: TF.js's LSTM gate weights as one
 * [I, 4H] block and a split (`fused`, tf.layers' LSTMCell) or four blocks (`perGate`, Keras's
 * `implementation=1`); PyTorch's Bi-LSTM as one bidirectional nn.LSTM over a packed batch (`packed`)
 * or two nn.LSTM over the padded batch with per-sentence reversal (`reversed`).
 *
 * Correctness before timing: every contender, in every layout, starts from ladtl's initial weights
 * and must give the same loss (without dropout; relative difference < LOSS_TOLERANCE) and the same
 * Viterbi paths (≥ MIN_DECODE_AGREEMENT of the real tokens) on two batches, then a few training steps
 * must leave its loss finite and lower. From there the models drift apart: the dropout masks come from
 * different random streams, and TF.js's Adam is the TF1 form (see tfjsTagger.ts).
 *
 * PyTorch runs out of process: each timed call is one request over a pipe (torchPeer.ts) that does
 * TORCH_OPS_PER_REQUEST operations (2 training steps, 8 decodes), and its times are divided by that
 * number. Its figures include the request's round trip, which on a loaded VM is far more than an
 * empty request's (a blocked process's CPU goes idle and is slow to wake); the suite reports both,
 * and the Python process's own timing of the same work, in `meta.torch.channel`, so that what the
 * channel adds per operation is visible (a few per cent at most). PyTorch is skipped, with a message, when
 * /usr/bin/python3 cannot import torch (Debian: apt-get install python3-torch libopenblas0).
 *
 * Peak RSS: each in-process implementation trains for a number of steps in a fresh process of its own
 * (bench/peers/rssProbe.ts), because RSS is per process and the wasm backend's memory never shrinks.
 * For PyTorch the Python process's own figures are reported (interpreter and libraries included, and
 * one model per layout), not compared.
 *
 * Not like-for-like, so read the ratios with this in mind:
 *  - ladtl runs each LSTM direction and the CRF as fused ops with hand-written gradients; TF.js
 *    composes them from primitive ops per time step and differentiates them with its tape; PyTorch
 *    runs its native LSTM and composes the CRF from ops per time step under autograd. That is the
 *    point of the comparison, but the peers' numbers include their per-op overhead;
 *  - TF.js's embedding gradient is a scatter (`tf.scatterND`) because the wasm backend lacks the
 *    stock one; the same code runs on tfjs-cpu;
 *  - everything is single-threaded: the wasm backend runs without threads in Node, PyTorch with one
 *    thread and a one-thread BLAS (see `meta`);
 *  - ladtl computes in float32 with float64 in places (CRF scores); TF.js and PyTorch in float32.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TaggerBatch } from '../lib/nn/index.ts';
import { getBackend } from '../lib/backend/index.ts';
import { fmt, formatTable, timeRounds, type CaseResult, type GroupResult, type RoundsResult, type SuiteOptions, type SuiteResult, type TimedCase } from './harness.ts';
import { BATCH_COUNT, IMPL_NAMES, LEARNING_RATE, ladtlImpl, paperSetup, type InProcessName, type TaggerImpl, type TimedOperation } from './peers/impls.ts';
import type { RssProbeResult } from './peers/rssProbe.ts';
import { PAPER_SIZES, realTokens } from './peers/syntheticBatch.ts';
import { TF_BACKENDS, initTf, tf, tfMeta, type TfBackend } from './peers/tfjs.ts';
import { tfjsImpl, type GateLayout } from './peers/tfjsTagger.ts';
import { TORCH_LAYOUTS, TORCH_OPS_PER_REQUEST, TorchPeer, torchAvailability, torchImpl, type SelfTimed } from './peers/torchPeer.ts';

/** Loss of every peer at ladtl's initial weights must agree to this relative difference. */
const LOSS_TOLERANCE = 1e-4;
/** Share of real tokens whose Viterbi tag must equal ladtl's at the same weights. */
const MIN_DECODE_AGREEMENT = 0.99;
const GATE_LAYOUTS: readonly GateLayout[] = ['fused', 'perGate'];
const PROBE_MARKER = 'RSS_PROBE ';

/** One implementation in one layout. */
interface Contender {
  /** The implementation's name, plus the layout while several are compared (e.g. `tfjs-cpu (fused)`). */
  label: string;
  impl: TaggerImpl;
  layout?: string;
  dispose?: () => void;
}

function relDiff(x: number, ref: number): number {
  return Math.abs(x - ref) / Math.max(Math.abs(ref), 1e-12);
}

/** Share of real (non-padding) positions where two tag sequences agree (and padding stays −1). */
function agreement(tags: Int32Array, ref: Int32Array): number {
  let same = 0, n = 0;
  for (let i = 0; i < ref.length; i++) {
    if (ref[i] < 0) {
      if (tags[i] !== ref[i]) return 0;
      continue;
    }
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
 * Same weights → same loss and paths (against ladtl, on the first two batches); then `steps` training
 * steps must keep the loss finite and lower the loss (without dropout) of the first batch, which is
 * among those trained on.
 */
function sanityCheck(contenders: Contender[], batches: TaggerBatch[], steps: number): Map<string, Sanity> {
  const out = new Map<string, Sanity>();
  const checkBatches = batches.slice(0, 2);
  const ladtl = contenders[0].impl;
  const refLoss = checkBatches.map((b) => ladtl.evalLoss(b));
  const refTags = checkBatches.map((b) => ladtl.decode(b));
  for (const { label, impl } of contenders) {
    impl.activate();
    const losses = checkBatches.map((b) => impl.evalLoss(b));
    const lossRelDiff = Math.max(...losses.map((l, i) => relDiff(l, refLoss[i])));
    const decodeAgreement = Math.min(...checkBatches.map((b, i) => agreement(impl.decode(b), refTags[i])));
    if (!(lossRelDiff < LOSS_TOLERANCE)) {
      throw new Error(`peers: ${label}'s loss at ladtl's initial weights is ${losses.join(', ')}, ladtl's ${refLoss.join(', ')} (relative difference ${lossRelDiff} ≥ ${LOSS_TOLERANCE})`);
    }
    if (!(decodeAgreement >= MIN_DECODE_AGREEMENT)) {
      throw new Error(`peers: ${label}'s Viterbi paths agree with ladtl's on only ${(100 * decodeAgreement).toFixed(1)}% of tokens at the same weights`);
    }
    const trainLosses: number[] = [];
    for (let s = 0; s < steps; s++) trainLosses.push(impl.trainStep(batches[s % batches.length]));
    const evalLossAfter = impl.evalLoss(batches[0]);
    if (!trainLosses.every(Number.isFinite) || !Number.isFinite(evalLossAfter)) {
      throw new Error(`peers: ${label} produced a non-finite loss in training: ${trainLosses.join(', ')}; after: ${evalLossAfter}`);
    }
    if (!(evalLossAfter < losses[0])) {
      throw new Error(`peers: ${label}'s loss did not decrease over ${steps} steps (${losses[0]} → ${evalLossAfter})`);
    }
    out.set(label, { evalLoss: losses[0], lossRelDiff, decodeAgreement, trainLosses, evalLossAfter });
  }
  return out;
}

type Rounds = { rounds: number; roundMs: number; minCalls: number; warmUpMs: number };

/**
 * Times `op` for every contender in alternating rounds, each cycling through the batches from the
 * first. Switching implementation (tfjs backend, torch layout) happens only when the previous call
 * was another contender's, so it is paid once per turn, not per call. An out-of-process peer does
 * several operations per call (`TaggerImpl.timed`); its times are divided by that number, so every
 * result is per operation.
 */
function timeContenders(contenders: Contender[], batches: TaggerBatch[], op: Operation, rounds: Rounds): RoundsResult[] {
  let current: TaggerImpl | null = null;
  const perCall = contenders.map(({ impl }) => impl.timed?.ops[op] ?? 1);
  const cases: TimedCase[] = contenders.map(({ label, impl }, k) => {
    let i = 0;
    const n = perCall[k];
    return {
      name: label,
      fn: (): void => {
        if (current !== impl) {
          impl.activate();
          current = impl;
        }
        const b = batches[i % batches.length];
        i += n;
        if (impl.timed) impl.timed.run(op, b, n);
        else if (op === 'train') impl.trainStep(b);
        else impl.decode(b);
      },
    };
  });
  return timeRounds(cases, rounds).map((r, k) => {
    const n = perCall[k];
    return { ...r, medianMs: r.medianMs / n, minMs: r.minMs / n, maxMs: r.maxMs / n, roundMs: r.roundMs.map((ms) => ms / n) };
  });
}

/** Two-sided 95% Student t quantiles for 1..30 degrees of freedom. */
const T95 = [12.71, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** A case of the JSON result: median over rounds as `msPerOp`, with the spread. */
type RoundsCase = CaseResult & { minMs: number; maxMs: number; iqrPercent: number; rounds: number; roundMs: number[] };

function toCase(r: RoundsResult): RoundsCase {
  const n = r.roundMs.length;
  const mean = r.roundMs.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(r.roundMs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : NaN;
  const t = T95[Math.min(n - 1, T95.length) - 1] ?? 1.96;
  return {
    name: r.name,
    msPerOp: r.medianMs,
    // Margin of error of the mean of the round means, for consumers of the old field.
    rmePercent: n > 1 ? (100 * t * sd) / Math.sqrt(n) / mean : NaN,
    samples: n,
    minMs: r.minMs, maxMs: r.maxMs, iqrPercent: r.iqrPercent, rounds: r.rounds, roundMs: r.roundMs,
  };
}

interface RatioSpread {
  /** Ratio of the medians (what `ratios` holds). */
  ofMedians: number;
  /** Median, min and max over rounds of the same-round ratio. */
  perRoundMedian: number;
  perRoundMin: number;
  perRoundMax: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b), m = (s.length - 1) / 2;
  return (s[Math.floor(m)] + s[Math.ceil(m)]) / 2;
}

/** `X vs P` for every case X and peer P ≠ X: P's time / X's time, >1 = X faster. */
function speedRatios(cases: RoundsCase[], peers: readonly string[]): { ratios: Record<string, number>; spread: Record<string, RatioSpread> } {
  const ratios: Record<string, number> = {}, spread: Record<string, RatioSpread> = {};
  for (const peer of peers) {
    const p = cases.find((c) => c.name === peer);
    if (!p) continue;
    for (const c of cases) {
      if (c === p) continue;
      const key = `${c.name} vs ${peer}`;
      const perRound = p.roundMs.map((ms, r) => ms / c.roundMs[r]);
      ratios[key] = p.msPerOp / c.msPerOp;
      spread[key] = { ofMedians: ratios[key], perRoundMedian: median(perRound), perRoundMin: Math.min(...perRound), perRoundMax: Math.max(...perRound) };
    }
  }
  return { ratios, spread };
}

function throughputGroup(name: string, what: string, cases: RoundsCase[], peers: readonly string[], sentences: number, tokens: number, extraChecks: Record<string, number>): { group: GroupResult; spread: Record<string, RatioSpread> } {
  const checks: Record<string, number> = {};
  for (const c of cases) {
    checks[`${c.name} sentences/s`] = sentences / (c.msPerOp / 1e3);
    checks[`${c.name} tokens/s`] = tokens / (c.msPerOp / 1e3);
  }
  const { ratios, spread } = speedRatios(cases, peers);
  return {
    group: {
      name,
      params: { what, batch: PAPER_SIZES.batch, length: PAPER_SIZES.length, meanRealTokens: tokens, vocab: PAPER_SIZES.vocab, embedding: PAPER_SIZES.wordDim, hidden: PAPER_SIZES.hidden, tags: 7 },
      cases,
      ratios,
      checks: { ...checks, ...extraChecks },
    },
    spread,
  };
}

function printThroughput(group: GroupResult, spread: Record<string, RatioSpread>, peers: readonly string[], sentences: number, tokens: number): void {
  const cases = group.cases as RoundsCase[];
  const ratio = (c: CaseResult, peer: string): string => (c.name === peer ? '1' : `${fmt(group.ratios[`${c.name} vs ${peer}`])}×`);
  console.log(`\n${group.name}`);
  console.log(formatTable(['case', 'ms/batch', 'min–max', 'IQR', 'sentences/s', 'tokens/s', ...peers.map((p) => `vs ${p}`)], cases.map((c) => [
    c.name, fmt(c.msPerOp), `${fmt(c.minMs)}–${fmt(c.maxMs)}`, `${c.iqrPercent.toFixed(1)}%`, fmt(sentences / (c.msPerOp / 1e3)), fmt(tokens / (c.msPerOp / 1e3)), ...peers.map((p) => ratio(c, p)),
  ])));
  const ours = cases.map((c) => c.name).filter((n) => n.startsWith('ladtl'));
  const ladtlRows = ours.flatMap((name) => peers.map((p) => {
    const s = spread[`${name} vs ${p}`];
    return [`${name} vs ${p}`, `${fmt(s.ofMedians)}×`, `${fmt(s.perRoundMedian)}×`, `${fmt(s.perRoundMin)}–${fmt(s.perRoundMax)}×`];
  }));
  console.log(formatTable(['ratio (>1: ladtl faster)', 'of medians', 'per-round median', 'per-round min–max'], ladtlRows));
}

/** Runs the memory probe of `impl` in a fresh process. */
function probeRss(impl: InProcessName, steps: number, layout: GateLayout): RssProbeResult {
  const script = fileURLToPath(new URL('./peers/rssProbe.ts', import.meta.url));
  const r = spawnSync(process.execPath, [...process.execArgv, script, impl, String(steps), layout], { encoding: 'utf8', timeout: 600_000, maxBuffer: 16 * 2 ** 20 });
  const line = r.stdout?.split('\n').find((l) => l.startsWith(PROBE_MARKER));
  if (r.status !== 0 || !line) {
    throw new Error(`peers: memory probe of ${impl} failed (status ${r.status}${r.signal ? `, signal ${r.signal}` : ''}): ${r.error?.message ?? ''}${r.stderr?.slice(-2000) ?? ''}`);
  }
  return JSON.parse(line.slice(PROBE_MARKER.length)) as RssProbeResult;
}

type Operation = TimedOperation;

/**
 * Picks the fastest layout of one implementation for one operation by alternating its layouts (each
 * already sanity-checked); returns the winner and every layout's median ms per call.
 */
function pickLayout(candidates: Contender[], batches: TaggerBatch[], what: Operation, rounds: Rounds): { best: Contender; medians: Record<string, number> } {
  const tensorsBefore = tf.memory().numTensors;
  const results = timeContenders(candidates, batches, what, rounds);
  const leaked = tf.memory().numTensors - tensorsBefore;
  if (leaked !== 0) throw new Error(`peers: ${leaked} tfjs tensors leaked while comparing layouts`);
  const medians: Record<string, number> = {};
  let best = 0;
  results.forEach((r, i) => {
    medians[candidates[i].layout!] = r.medianMs;
    if (r.medianMs < results[best].medianMs) best = i;
  });
  return { best: candidates[best], medians };
}

export async function run(options: SuiteOptions): Promise<SuiteResult> {
  await initTf();
  const { batch: B } = PAPER_SIZES;
  const setup = paperSetup();
  const { batches } = setup;
  const tokens = batches.reduce((a, b) => a + realTokens(b), 0) / batches.length;

  // PyTorch, when this machine has it.
  const availability = torchAvailability();
  const peer = availability.ok ? new TorchPeer(setup) : null;
  try {
    const meta: Record<string, unknown> = {
      ...tfMeta(),
      ladtlBackend: getBackend().name,
      ladtlBackendDescription: getBackend().description,
      learningRate: LEARNING_RATE,
      batches: BATCH_COUNT,
      lossTolerance: LOSS_TOLERANCE,
      minDecodeAgreement: MIN_DECODE_AGREEMENT,
      note: 'synthetic batches of bench/tagger.bench.ts (char none); every contender starts from ladtl\'s initial weights; alternating rounds, medians over rounds; ratios = peer time / case time (>1: case faster)',
    };
    const torchHeader = peer
      ? `PyTorch ${peer.info.torch} (BLAS ${peer.info.blas.openblasCore ? `OpenBLAS, core ${peer.info.blas.openblasCore}` : peer.info.blas.library}, ${peer.info.threads} thread)`
      : 'PyTorch skipped';
    console.log(
      `\n== peers: Bi-LSTM-CRF tagger, ladtl (${meta.ladtlBackend} backend) vs TF.js ${meta.tfjsCore} cpu / wasm ${meta.tfjsBackendWasm} ` +
        `(SIMD ${meta.wasmSimd ? 'on' : 'off'}, threads ${meta.wasmThreads ? 'on' : 'off'}) vs ${torchHeader} ==\n` +
        `batch ${B} × ${PAPER_SIZES.length} tokens (${fmt(tokens)} real tokens on average), vocabulary ${PAPER_SIZES.vocab}, embeddings ${PAPER_SIZES.wordDim}, ` +
        `Bi-LSTM ${PAPER_SIZES.hidden} per direction, 7 tags; "vs X" = X's time / the case's time, >1 means the case is faster`,
    );
    if (!availability.ok) {
      console.log(`\npeers: the PyTorch peer is skipped: ${availability.reason}`);
      meta.torch = { skipped: availability.reason };
    }

    // Every implementation in every layout, from ladtl's initial weights.
    const tfjsCandidates = new Map<TfBackend, Contender[]>();
    for (const backend of TF_BACKENDS) {
      tfjsCandidates.set(backend, GATE_LAYOUTS.map((gates) => {
        const impl = tfjsImpl(backend, gates, setup.constraints, setup.initial);
        return { label: `${impl.name} (${gates})`, impl, layout: gates, dispose: () => impl.model.dispose() };
      }));
    }
    const torchCandidates: Contender[] = peer ? TORCH_LAYOUTS.map((layout) => ({ label: `torch (${layout})`, impl: torchImpl(peer, setup, layout), layout })) : [];
    const ladtl: Contender = { label: 'ladtl', impl: ladtlImpl(setup) };
    const all = [ladtl, ...[...tfjsCandidates.values()].flat(), ...torchCandidates];

    // Correctness first, for every layout.
    const sanitySteps = options.quick ? 3 : 5;
    const sanity = sanityCheck(all, batches, sanitySteps);
    console.log(`\nsanity: all start from ladtl's initial weights; eval loss = mean CRF NLL without dropout on batches 0 and 1 (worst shown); then ${sanitySteps} training steps (with dropout)`);
    console.log(formatTable(['case', 'eval loss', 'rel. diff vs ladtl', 'same tags as ladtl', `train losses (${sanitySteps} steps)`, 'eval loss after'], all.map(({ label }) => {
      const s = sanity.get(label)!;
      return [label, fmt(s.evalLoss), s.lossRelDiff.toExponential(1), `${(100 * s.decodeAgreement).toFixed(1)}%`, s.trainLosses.map(fmt).join(' '), fmt(s.evalLossAfter)];
    })));

    // Each peer's fastest layout, by training steps in alternating rounds.
    const pickRounds: Rounds = options.quick ? { rounds: 3, roundMs: 250, minCalls: 2, warmUpMs: 150 } : { rounds: 7, roundMs: 1000, minCalls: 3, warmUpMs: 1000 };
    type Choice = { chosen: string; medianMs: Record<string, number> };
    const layoutChoice: Record<string, Record<Operation, Choice>> = {};
    // Decoding is also timed with the input-projection cache emptied before every batch (no word
    // seen before): the timed batches cycle, so plain `ladtl` decodes them with every word cached.
    const ladtlCold: Contender = { label: 'ladtl (cold cache)', impl: ladtlImpl(setup, { coldCache: true }) };
    const chosen: Record<Operation, Contender[]> = { train: [ladtl], decode: [ladtl, ladtlCold] };
    const groupsToPick: [string, Contender[]][] = [...[...tfjsCandidates].map(([backend, c]): [string, Contender[]] => [`tfjs-${backend}`, c]), ...(peer ? [['torch', torchCandidates] as [string, Contender[]]] : [])];
    for (const [name, candidates] of groupsToPick) {
      const choice = {} as Record<Operation, Choice>;
      for (const op of ['train', 'decode'] as const) {
        const { best, medians } = pickLayout(candidates, batches, op, pickRounds);
        choice[op] = { chosen: best.layout!, medianMs: medians };
        chosen[op].push({ ...best, label: name });
      }
      layoutChoice[name] = choice;
    }
    console.log(`\nlayouts: each peer's equivalent layouts timed against each other (${pickRounds.rounds} alternating rounds per operation); the fastest for each operation is timed below`);
    console.log(formatTable(['peer', 'train: median ms/step', 'chosen', 'decode: median ms/batch', 'chosen'], Object.entries(layoutChoice).map(([name, c]) => [
      name,
      Object.entries(c.train.medianMs).map(([l, ms]) => `${l} ${fmt(ms)}`).join(', '), c.train.chosen,
      Object.entries(c.decode.medianMs).map(([l, ms]) => `${l} ${fmt(ms)}`).join(', '), c.decode.chosen,
    ])));
    console.log(`(tfjs: fused = one [I, 4H] kernel product per step and a split, as tf.layers; perGate = four blocks, Keras implementation=1${peer ? `; torch: ${Object.entries(peer.info.layouts).map(([l, d]) => `${l} = ${d}`).join('; ')}` : ''})`);
    meta.layouts = layoutChoice;
    meta.tfjsGateLayout = Object.fromEntries(TF_BACKENDS.map((b) => [b, { train: layoutChoice[`tfjs-${b}`].train.chosen, decode: layoutChoice[`tfjs-${b}`].decode.chosen }]));

    const rounds: Rounds = options.quick ? { rounds: 5, roundMs: 300, minCalls: 2, warmUpMs: 300 } : { rounds: 15, roundMs: 1000, minCalls: 3, warmUpMs: 1500 };
    peer?.resetSelfTimed();
    const tensorsBefore = tf.memory().numTensors;
    const train = timeContenders(chosen.train, batches, 'train', rounds).map(toCase);
    const decode = timeContenders(chosen.decode, batches, 'decode', rounds).map(toCase);
    meta.rounds = rounds;
    // A leak would mean a growing heap slowing the later samples down: fail rather than publish.
    const leaked = tf.memory().numTensors - tensorsBefore;
    if (leaked !== 0) throw new Error(`peers: ${leaked} tfjs tensors leaked while timing`);

    const peers = ['tfjs-cpu', 'tfjs-wasm', ...(peer ? ['torch'] : [])];
    const sanityChecks: Record<string, number> = {};
    for (const { label } of all) {
      const s = sanity.get(label)!;
      sanityChecks[`${label} eval loss at init`] = s.evalLoss;
      sanityChecks[`${label} loss rel. diff vs ladtl at init`] = s.lossRelDiff;
      sanityChecks[`${label} decode agreement with ladtl at init`] = s.decodeAgreement;
      sanityChecks[`${label} eval loss after ${sanitySteps} steps`] = s.evalLossAfter;
    }
    const { group: trainGroup, spread: trainSpread } = throughputGroup(`train step (forward + backward + Adam), batch ${B} × ${PAPER_SIZES.length}`, 'train', train, peers, B, tokens, sanityChecks);
    const { group: decodeGroup, spread: decodeSpread } = throughputGroup(`decode (forward + Viterbi), batch ${B} × ${PAPER_SIZES.length}`, 'decode', decode, peers, B, tokens, {});
    meta.ratioSpread = { train: trainSpread, decode: decodeSpread };
    console.log(`\ntiming: ${rounds.rounds} alternating rounds of ≥ ${rounds.roundMs} ms per contender; medians over rounds, min–max and IQR of the per-round means`);
    printThroughput(trainGroup, trainSpread, peers, B, tokens);
    printThroughput(decodeGroup, decodeSpread, peers, B, tokens);

    if (peer) {
      const pingUs = peer.pingUs();
      // Per operation, over the timed requests (their warm-up included): Python's
      // clock around the work vs the time this side waited for the reply; the difference is what
      // the channel adds to torch's figures.
      const channel = (t: SelfTimed, opsPerRequest: number): { selfMs: number; waitMs: number; overheadMs: number; overheadPercent: number; opsPerRequest: number } => {
        const selfMs = (1e3 * t.seconds) / t.calls, waitMs = t.wallMs / t.calls;
        return { selfMs, waitMs, overheadMs: waitMs - selfMs, overheadPercent: (100 * (waitMs - selfMs)) / selfMs, opsPerRequest };
      };
      const trainChannel = channel(peer.selfTimed.train, TORCH_OPS_PER_REQUEST.train), decodeChannel = channel(peer.selfTimed.decode, TORCH_OPS_PER_REQUEST.decode);
      const stats = peer.stats();
      meta.torch = {
        ...peer.info,
        layout: { train: layoutChoice.torch.train.chosen, decode: layoutChoice.torch.decode.chosen },
        channel: { pingRoundTripUs: pingUs, train: trainChannel, decode: decodeChannel },
        processMaxRssMiB: stats.maxRssMiB,
      };
      const b = peer.info.blas;
      console.log(
        `\ntorch: ${peer.info.torch}, ${peer.info.threads} thread (interop ${peer.info.interopThreads}), BLAS ${b.library}` +
          `${b.openblasCore ? ` (OpenBLAS core ${b.openblasCore}, ${b.openblasThreads} thread; OPENBLAS_CORETYPE/L2_SIZE unset)` : ''}; ` +
          `addmm 15×100·100×400 ${fmt(peer.info.addmm15x100x400us)} µs; layout: train ${layoutChoice.torch.train.chosen}, decode ${layoutChoice.torch.decode.chosen}\n` +
          `channel: an empty request takes ${fmt(pingUs)} µs; timed requests do ${TORCH_OPS_PER_REQUEST.train} steps / ${TORCH_OPS_PER_REQUEST.decode} decodes; ` +
          `per operation, Python's own clock vs the wait here: train ${fmt(trainChannel.selfMs)} vs ${fmt(trainChannel.waitMs)} ms (+${trainChannel.overheadPercent.toFixed(1)}%), ` +
          `decode ${fmt(decodeChannel.selfMs)} vs ${fmt(decodeChannel.waitMs)} ms (+${decodeChannel.overheadPercent.toFixed(1)}%); the torch rows above include the difference`,
      );
    }

    // Memory, one fresh process per in-process implementation, in the layout timed above.
    const rssSteps = options.quick ? 3 : 20;
    const memory = {} as Record<InProcessName, RssProbeResult>;
    const layoutOf = (name: InProcessName): GateLayout => (name === 'ladtl' ? 'perGate' : (layoutChoice[name].train.chosen as GateLayout));
    for (const name of IMPL_NAMES) memory[name] = probeRss(name, rssSteps, layoutOf(name));
    const tfPeers = ['tfjs-cpu', 'tfjs-wasm'] as const;
    const memoryRatios: Record<string, number> = {};
    for (const p of tfPeers) for (const name of IMPL_NAMES) if (name !== p) memoryRatios[`${name} peak RSS / ${p}`] = memory[name].peakStepMiB / memory[p].peakStepMiB;
    meta.memory = memory;
    meta.memoryRatios = memoryRatios;
    for (const name of IMPL_NAMES) {
      trainGroup.checks![`${name} peak RSS MiB`] = memory[name].peakStepMiB;
      for (const p of tfPeers) if (name !== p) trainGroup.checks![`${name} peak RSS / ${p}`] = memoryRatios[`${name} peak RSS / ${p}`];
    }
    console.log(`\nmemory: RSS of a fresh process per implementation over ${rssSteps} training steps, TF.js in its training layout (MiB; "/ X" = peak ÷ X's peak, <1 means less memory)`);
    const rows = IMPL_NAMES.map((name) => {
      const m = memory[name];
      const r = (p: string): string => (name === p ? '1' : fmt(memoryRatios[`${name} peak RSS / ${p}`]));
      return [name, fmt(m.setupMiB), fmt(m.peakStepMiB), fmt(m.endMiB), fmt(m.maxRssMiB), m.tfTensorMiB === undefined ? '—' : fmt(m.tfTensorMiB), r('tfjs-cpu'), r('tfjs-wasm')];
    });
    if (peer) {
      const t = meta.torch as { setupRssMiB: number; processMaxRssMiB: number };
      rows.push(['torch (Python process, not compared)', fmt(t.setupRssMiB), '—', '—', fmt(t.processMaxRssMiB), '—', '—', '—']);
    }
    console.log(formatTable(['case', 'after set-up', 'peak in steps', 'end', 'process max', 'tfjs tensors', '/ tfjs-cpu', '/ tfjs-wasm'], rows));
    const gradientLoad = tfPeers.map((p) => memory[p].gradientLoadMiB).filter((x): x is number => x !== undefined);
    if (gradientLoad.length > 0) {
      console.log(`(the TF.js figures include ~${fmt(Math.max(...gradientLoad))} MiB for the second copy of tfjs-core loaded to register its gradients, see bench/peers/tfjs.ts${peer ? '; the torch process holds one model per layout and the interpreter' : ''})`);
    }

    for (const c of all) c.dispose?.();
    return { suite: 'peers', meta, groups: [trainGroup, decodeGroup] };
  } finally {
    peer?.close();
  }
}
