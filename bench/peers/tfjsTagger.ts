/**
 * The ladtl tagger (lib/nn/tagger.ts with `char: 'none'`) written with TensorFlow.js ops, as the
 * peer of the `peers` benchmark: word embeddings → dropout → single-layer Bi-LSTM → dense emissions
 * → linear-chain CRF with start/end scores and BIO constraints; trained with `tf.train.adam` through
 * `optimizer.minimize`.
 *
 * It computes the same function as ladtl's tagger, so it can start from ladtl's weights (`initial`)
 * and the benchmark checks that both give the same loss and the same Viterbi paths before timing.
 * How each piece is written, and where it is not op-for-op what ladtl does:
 *
 * - Layout: everything is time-major ([T·B, ·], row t·B + b), which lets each time step be a
 *   contiguous slice (`tf.split` along axis 0) instead of a strided one. ladtl is batch-major.
 * - Embedding: `tf.gather` on the table, with a scatter-add gradient (`gatherRows` in ./tfjs.ts)
 *   because the wasm backend has no kernel for the stock gradient. Both give a dense [V, D]
 *   gradient, as ladtl's does, and Adam updates the whole table on every step in all three.
 * - Dropout: `tf.dropout` (inverted dropout, rate 0.5) on the embeddings while training, as ladtl.
 *   The masks come from different random streams, so training losses differ step to step.
 * - LSTM: own cell (gates i, f, g, o as in kernels/cpu/lstm.ts, not `tf.basicLSTMCell`'s i, j, f, o,
 *   so that ladtl's weights load unchanged): one `matMul` per gate block for every step's input
 *   projection, then per step h·W_hh and sigmoid/tanh. The gate weights are either one block and a
 *   split (`fused`, tf.layers' LSTMCell) or four blocks (`perGate`, Keras's `implementation=1`); the
 *   benchmark times both on each backend and uses the faster for each operation (runs have found
 *   either ahead by up to ~2×, depending on the backend and the operation: fused issues one product
 *   per step instead of four, but tfjs-cpu copies the strided slices of a last-axis split element
 *   by element). Every direction runs all T steps over all B rows, as ladtl's TypeScript kernel
 *   does (its default fused wasm direction skips padding, as PyTorch's packed sequences); padding is handled by masks: the forward direction multiplies
 *   its outputs by the mask (its state past a sentence's end is never read), the backward one also
 *   its state, so each sentence's backward pass starts from zeros at its last real token. That is
 *   exactly ladtl's semantics (outputs zero at padding, no gradient from padding).
 * - CRF NLL: the forward algorithm in log space with `tf.logSumExp` over [B, K, K] per step, its
 *   state frozen past each sentence's end by the mask; the gold score as sums of products with
 *   one-hot/count tensors built from the tags (this avoids the gather gradient as well). Forbidden
 *   transitions add −1e4 instead of ladtl's −∞ (exp(−1e4) is 0 in float32, so the values agree;
 *   with −∞ the gold score's products with counts that are 0 at forbidden transitions, and the
 *   masked update alpha + m·(next − alpha), would produce 0·(−∞) = NaN). The gradient is TF.js autodiff
 *   through all T steps; ladtl has a fused op with a hand-written forward-backward gradient.
 * - Viterbi: plain JS on the emissions read back with `dataSync()` (and the CRF scores, read back
 *   on each call), in the same loops as ladtl's kernel. TF.js has no Viterbi op; a user would do
 *   this (or max/argMax ops per step, which would be slower at K = 7).
 * - Adam: `tf.train.adam(lr, 0.9, 0.999, 1e-8)`. TF.js applies the bias correction to the learning
 *   rate (TF1 form, ε added to the uncorrected √v); ladtl corrects m and v (PyTorch form). The two
 *   differ only while √v is comparable to ε; the cost is the same.
 */
import type { TaggerBatch } from '../../lib/nn/index.ts';
import type { CrfConstraints } from '../../lib/ops/index.ts';
import { tf, activate, gatherRows, type TfBackend } from './tfjs.ts';
import { LEARNING_RATE, type TaggerImpl } from './impls.ts';
import { LABELS, PAPER_SIZES, paperTaggerConfig } from './syntheticBatch.ts';

export interface TfjsTaggerConfig {
  vocab: number;
  wordDim: number;
  hidden: number;
  numTags: number;
  dropout: number;
  learningRate: number;
  /** Learn start/end scores (otherwise they stay zero). */
  boundary: boolean;
  constraints?: CrfConstraints;
  /** Prefix of the tfjs variable names, which must be unique in the process (one per instance). */
  name: string;
  gates: GateLayout;
}

/** Parameter values under ladtl's names (`Module.namedParameters()`), e.g. `crf.transitions`. */
export type InitialWeights = ReadonlyMap<string, Float32Array>;

/** Added to forbidden transition/start/end scores. */
const FORBIDDEN = -1e4;

/**
 * How an LSTM direction stores its gate weights: `fused`, one [I, 4H] / [H, 4H] / [4H] triple and a
 * `tf.split` of each step's [B, 4H] preactivations along the last axis (what tf.layers' LSTMCell
 * does); `perGate`, four [I, H] / [H, H] / [H] triples and four products per step (Keras's
 * `implementation=1`). Same function, same flops; the split along the last axis is a strided slice,
 * which tfjs-cpu copies element by element.
 */
export type GateLayout = 'fused' | 'perGate';

interface Direction {
  /** One block (fused) or four (perGate, in the order i, f, g, o). */
  Wih: tf.Variable[];
  Whh: tf.Variable[];
  bias: tf.Variable[];
  reverse: boolean;
}

/** The tagger's parameters, created on the tfjs backend active when the constructor runs. */
export class TfjsTagger {
  readonly table: tf.Variable;
  readonly directions: Direction[];
  readonly W: tf.Variable;
  readonly b: tf.Variable;
  readonly transitions: tf.Variable;
  readonly start: tf.Variable;
  readonly end: tf.Variable;
  /** What `minimize` updates. */
  readonly trainable: tf.Variable[];
  private readonly maskA: tf.Tensor2D;
  private readonly maskS: tf.Tensor1D;
  private readonly maskE: tf.Tensor1D;
  private readonly optimizer: tf.AdamOptimizer;

  /**
   * @param initial ladtl's parameter values to start from; without them, the same initialisers as
   * ladtl (normal 0.1 embeddings, per-gate Glorot, forget bias 1, Glorot emissions, normal 0.01
   * transitions) drawn from tfjs's seeded generators.
   */
  constructor(readonly config: TfjsTaggerConfig, initial?: InitialWeights) {
    const { vocab: V, wordDim: D, hidden: H, numTags: K, name } = config;
    const G = 4 * H;
    let seed = 1;
    // `block` [g, n]: columns g·w..(g+1)·w of ladtl's [rows, n·w] matrix (or [n·w] vector).
    const value = (key: string, shape: number[], make: () => tf.Tensor, block?: [number, number]): tf.Tensor => {
      const v = initial?.get(key);
      if (!initial) return make();
      if (!v) throw new Error(`TfjsTagger: initial weights lack '${key}'`);
      const size = shape.reduce((a, b) => a * b, 1);
      if (v.length !== size * (block ? block[1] : 1)) throw new Error(`TfjsTagger: '${key}' has ${v.length} values for [${shape.join(', ')}]${block ? ` × ${block[1]} blocks` : ''}`);
      if (!block) return tf.tensor(v, shape, 'float32');
      const w = shape[shape.length - 1], rows = size / w, [g, n] = block;
      const out = new Float32Array(size);
      for (let r = 0; r < rows; r++) out.set(v.subarray(r * n * w + g * w, r * n * w + (g + 1) * w), r * w);
      return tf.tensor(out, shape, 'float32');
    };
    const variable = (key: string, shape: number[], make: () => tf.Tensor, block?: [number, number]): tf.Variable => {
      const t = value(key, shape, make, block);
      const out = tf.variable(t, true, `${name}/${key}${block && block[1] > 1 ? `#${block[0]}` : ''}`);
      t.dispose();
      return out;
    };
    const glorot = (shape: number[], fanIn: number, fanOut: number) => (): tf.Tensor => {
      const a = Math.sqrt(6 / (fanIn + fanOut));
      return tf.randomUniform(shape, -a, a, 'float32', seed++);
    };

    this.table = variable('encoder.words.table', [V, D], () => tf.randomNormal([V, D], 0, 0.1, 'float32', seed++));
    // Forget-gate bias 1, the rest 0 (gate blocks i, f, g, o).
    const biasInit = (first: number, width: number) => (): tf.Tensor => tf.tensor1d(Float32Array.from({ length: width }, (_, j) => (first + j >= H && first + j < 2 * H ? 1 : 0)));
    const n = config.gates === 'fused' ? 1 : 4, w = G / n;
    this.directions = (['forward', 'backward'] as const).map((dir) => {
      const blocks = Array.from({ length: n }, (_, g) => g);
      return {
        Wih: blocks.map((g) => variable(`encoder.lstm.${dir}.Wih`, [D, w], glorot([D, w], D, H), [g, n])),
        Whh: blocks.map((g) => variable(`encoder.lstm.${dir}.Whh`, [H, w], glorot([H, w], H, H), [g, n])),
        bias: blocks.map((g) => variable(`encoder.lstm.${dir}.bias`, [w], biasInit(g * w, w), [g, n])),
        reverse: dir === 'backward',
      };
    });
    this.W = variable('crf.W', [2 * H, K], glorot([2 * H, K], 2 * H, K));
    this.b = variable('crf.b', [K], () => tf.zeros([K]));
    this.transitions = variable('crf.transitions', [K, K], () => tf.randomNormal([K, K], 0, 0.01, 'float32', seed++));
    if (config.boundary) {
      this.start = variable('crf.start', [K], () => tf.zeros([K]));
      this.end = variable('crf.end', [K], () => tf.zeros([K]));
    } else {
      this.start = tf.variable(tf.zeros([K]), false, `${name}/crf.start`);
      this.end = tf.variable(tf.zeros([K]), false, `${name}/crf.end`);
    }
    this.trainable = [this.table, ...this.directions.flatMap((d) => [...d.Wih, ...d.Whh, ...d.bias]), this.W, this.b, this.transitions];
    if (config.boundary) this.trainable.push(this.start, this.end);

    const c = config.constraints;
    const mask = (allowed: Uint8Array | undefined, n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => (allowed && !allowed[i] ? FORBIDDEN : 0));
    this.maskA = tf.tensor2d(mask(c?.transitions, K * K), [K, K]);
    this.maskS = tf.tensor1d(mask(c?.start, K));
    this.maskE = tf.tensor1d(mask(c?.end, K));
    this.optimizer = tf.train.adam(config.learningRate, 0.9, 0.999, 1e-8);
  }

  /** Bi-LSTM features h, time-major [T·B, 2H]. */
  encode(batch: TaggerBatch, training: boolean, masks: tf.Tensor[]): tf.Tensor2D {
    const { size: B, maxLen: T } = batch;
    const ids = new Int32Array(T * B);
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) ids[t * B + b] = batch.wordIds[b * T + t];
    let x: tf.Tensor2D = gatherRows(this.table as tf.Tensor2D, ids);
    if (training && this.config.dropout > 0) x = tf.dropout(x, this.config.dropout) as tf.Tensor2D;
    const outputs = this.directions.map((d) => this.direction(x, d, masks, B, T));
    return tf.concat(outputs, 1);
  }

  /** One LSTM direction over the padded batch: [T·B, H], zero at padding. */
  private direction(x: tf.Tensor2D, d: Direction, masks: tf.Tensor[], B: number, T: number): tf.Tensor2D {
    const H = this.config.hidden;
    // Every step's input projection in one product per block, then cut into steps (contiguous rows).
    const steps = d.Wih.map((W, g) => tf.split(tf.add(tf.matMul(x, W), d.bias[g]), T, 0));
    let h: tf.Tensor = tf.zeros([B, H]);
    let c: tf.Tensor = tf.zeros([B, H]);
    const out: tf.Tensor[] = new Array<tf.Tensor>(T);
    for (let s = 0; s < T; s++) {
      const t = d.reverse ? T - 1 - s : s;
      const [zi, zf, zg, zo] = steps.length === 1
        ? tf.split(tf.add(steps[0][t], tf.matMul(h, d.Whh[0])), 4, 1)
        : steps.map((st, g) => tf.add(st[t], tf.matMul(h, d.Whh[g])));
      const cNew = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zg)));
      const hNew = tf.mul(tf.sigmoid(zo), tf.tanh(cNew));
      if (d.reverse) {
        c = tf.mul(cNew, masks[t]);
        h = tf.mul(hNew, masks[t]);
        out[t] = h;
      } else {
        c = cNew;
        h = hNew;
        out[t] = tf.mul(hNew, masks[t]);
      }
    }
    return tf.concat(out, 0) as tf.Tensor2D;
  }

  /** Emission scores, time-major [T·B, K]. */
  emissions(h: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(h, this.W), this.b);
  }

  /** Per-step masks [B, 1] (1 where t < length), T of them, time-major. */
  private stepMasks(batch: TaggerBatch): tf.Tensor[] {
    const { size: B, maxLen: T, lengths } = batch;
    const m = new Float32Array(T * B);
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) m[t * B + b] = t < lengths[b] ? 1 : 0;
    return tf.split(tf.tensor2d(m, [T * B, 1]), T, 0);
  }

  /** Mean CRF NLL over the batch's sentences (a scalar), as ladtl's `Tagger.loss`. */
  loss(batch: TaggerBatch, training: boolean): tf.Scalar {
    const { size: B, maxLen: T, lengths, tagIds } = batch;
    const K = this.config.numTags;
    const masks = this.stepMasks(batch);
    const E = this.emissions(this.encode(batch, training, masks));
    const A = tf.add(this.transitions, this.maskA);
    const s = tf.add(this.start, this.maskS);
    const e = tf.add(this.end, this.maskE);

    // log Z by the forward algorithm; alpha [B, K] stops changing after each sentence's last token.
    // Scores are laid out [B, to, from] so that logSumExp reduces the last axis (tfjs-cpu transposes
    // before reducing any other axis).
    const Es = tf.split(E, T, 0);
    const AT3 = tf.expandDims(tf.transpose(A), 0);
    let alpha: tf.Tensor = tf.add(Es[0], s);
    for (let t = 1; t < T; t++) {
      const next = tf.add(tf.logSumExp(tf.add(tf.expandDims(alpha, 1), AT3), 2), Es[t]);
      alpha = tf.add(alpha, tf.mul(masks[t], tf.sub(next, alpha)));
    }
    const logZ = tf.logSumExp(tf.add(alpha, e), 1);

    // Gold path score from one-hot emissions and transition/start/end counts.
    const onehot = new Float32Array(T * B * K), transCounts = new Float32Array(K * K), startCounts = new Float32Array(K), endCounts = new Float32Array(K);
    for (let b = 0; b < B; b++) {
      const L = lengths[b];
      for (let t = 0; t < L; t++) {
        const y = tagIds[b * T + t];
        onehot[(t * B + b) * K + y] = 1;
        if (t > 0) transCounts[tagIds[b * T + t - 1] * K + y] += 1;
      }
      startCounts[tagIds[b * T]] += 1;
      endCounts[tagIds[b * T + L - 1]] += 1;
    }
    const gold = tf.addN([
      tf.sum(tf.mul(E, tf.tensor2d(onehot, [T * B, K]))),
      tf.sum(tf.mul(A, tf.tensor2d(transCounts, [K, K]))),
      tf.sum(tf.mul(s, tf.tensor1d(startCounts))),
      tf.sum(tf.mul(e, tf.tensor1d(endCounts))),
    ]);
    return tf.div(tf.sub(tf.sum(logZ), gold), B) as tf.Scalar;
  }

  /** The loss without dropout or update (for the checks). */
  evalLoss(batch: TaggerBatch): number {
    const l = tf.tidy(() => this.loss(batch, false));
    const v = l.dataSync()[0];
    l.dispose();
    return v;
  }

  /** One training step (forward, backward, Adam); returns the (dropout) training loss. */
  trainStep(batch: TaggerBatch): number {
    const cost = this.optimizer.minimize(() => this.loss(batch, true), true, this.trainable);
    if (!cost) throw new Error('TfjsTagger: minimize returned no cost');
    const v = cost.dataSync()[0];
    cost.dispose();
    return v;
  }

  /** Viterbi tag ids [B·T] (batch-major, as ladtl), −1 at padding. */
  decode(batch: TaggerBatch): Int32Array {
    const E = tf.tidy(() => this.emissions(this.encode(batch, false, this.stepMasks(batch))));
    const emissions = E.dataSync() as Float32Array;
    E.dispose();
    const K = this.config.numTags;
    const c = this.config.constraints;
    const scores = (v: tf.Variable, allowed: Uint8Array | undefined): Float32Array => {
      const out = Float32Array.from(v.dataSync() as Float32Array);
      if (allowed) for (let i = 0; i < out.length; i++) if (!allowed[i]) out[i] = -Infinity;
      return out;
    };
    return viterbiTimeMajor(emissions, scores(this.transitions, c?.transitions), scores(this.start, c?.start), scores(this.end, c?.end), batch.size, batch.maxLen, K, batch.lengths);
  }

  dispose(): void {
    this.optimizer.dispose();
    for (const v of [...this.trainable, this.start, this.end]) if (!v.isDisposed) v.dispose();
    this.maskA.dispose();
    this.maskS.dispose();
    this.maskE.dispose();
  }
}

/** Best paths for time-major emissions E[(t·B + b)·K + k]; output batch-major [B·T], −1 at padding. */
export function viterbiTimeMajor(E: Float32Array, A: Float32Array, s: Float32Array, e: Float32Array, B: number, T: number, K: number, lengths: Int32Array): Int32Array {
  const out = new Int32Array(B * T).fill(-1);
  const back = new Int32Array(T * K);
  let score = new Float64Array(K), next = new Float64Array(K);
  for (let b = 0; b < B; b++) {
    const L = lengths[b];
    for (let k = 0; k < K; k++) score[k] = s[k] + E[b * K + k];
    for (let t = 1; t < L; t++) {
      const row = (t * B + b) * K;
      for (let j = 0; j < K; j++) {
        let best = -Infinity, arg = 0;
        for (let i = 0; i < K; i++) {
          const v = score[i] + A[i * K + j];
          if (v > best) { best = v; arg = i; }
        }
        next[j] = best + E[row + j];
        back[t * K + j] = arg;
      }
      [score, next] = [next, score];
    }
    let best = -Infinity, tag = 0;
    for (let k = 0; k < K; k++) {
      const v = score[k] + e[k];
      if (v > best) { best = v; tag = k; }
    }
    for (let t = L - 1; t >= 0; t--) {
      out[b * T + t] = tag;
      if (t > 0) tag = back[t * K + tag];
    }
  }
  return out;
}

/**
 * The TF.js tagger at the benchmark's sizes on `backend` (made current here and by `activate`),
 * starting from `initial` (ladtl's weights) when given.
 */
export function tfjsImpl(backend: TfBackend, gates: GateLayout, constraints: CrfConstraints | undefined, initial?: InitialWeights): TaggerImpl & { model: TfjsTagger } {
  activate(backend);
  const c = paperTaggerConfig('none');
  const model = new TfjsTagger({
    vocab: PAPER_SIZES.vocab, wordDim: c.encoder.wordDim, hidden: c.encoder.hidden, numTags: LABELS.length,
    dropout: c.encoder.dropout, learningRate: LEARNING_RATE, boundary: c.boundary, constraints, gates, name: `peers-${backend}-${gates}`,
  }, initial);
  return {
    name: `tfjs-${backend}`,
    model,
    activate: () => activate(backend),
    evalLoss: (batch) => model.evalLoss(batch),
    trainStep: (batch) => model.trainStep(batch),
    decode: (batch) => model.decode(batch),
  };
}
