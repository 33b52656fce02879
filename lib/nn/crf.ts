/**
 * `Crf`: the per-domain output layer of the paper (E2–E5): emissions E = h·W + b, a transition
 * matrix A, optional start/end scores, the NLL by the forward algorithm, Viterbi decoding and
 * per-token marginals (used as tagging confidence).
 *
 * The authors' CRF has no start/end scores; `boundary: false` reproduces that (the scores stay zero
 * and are not trained). Constraints, when given (e.g. BIO: no O → I-X), forbid transitions outright.
 */
import { type Rng, Tensor, zeros as zerosTensor } from '../tensor/index.ts';
import { type Variable, noGrad, constant } from '../autodiff/index.ts';
import * as ops from '../ops/index.ts';
import { constrainedScores, type CrfConstraints } from '../ops/index.ts';
import { getBackend } from '../backend/index.ts';
import { Module } from './module.ts';
import { glorotUniform, normal, zeros } from './init.ts';

export interface CrfConfig {
  inputDim: number;
  numTags: number;
  /** Learn start/end scores (default true). */
  boundary?: boolean;
  constraints?: CrfConstraints;
}

/** Output of {@link Crf.decodeNBest}. */
export interface NBestPaths {
  k: number;
  /** Padded sentence length of the batch. */
  T: number;
  /** Tag ids [B, k, T], best first; −1 past each sentence's length and for missing paths. */
  paths: Int32Array;
  /** p(y | x) of each path [B, k]; 0 for missing paths. */
  probabilities: Float64Array;
  /** Paths found per sentence [B]. */
  counts: Int32Array;
}

export class Crf extends Module {
  /** Emission projection W [inputDim, K] and bias b [K] (paper E2). */
  readonly W: Variable;
  readonly b: Variable;
  /** Transition scores A [K, K], A[from, to] (paper E3). */
  readonly transitions: Variable;
  readonly start: Variable;
  readonly end: Variable;
  readonly constraints: CrfConstraints | undefined;

  constructor(readonly config: CrfConfig, rng: Rng) {
    super();
    const { inputDim, numTags: K } = config;
    this.W = this.param('W', glorotUniform([inputDim, K], rng));
    this.b = this.param('b', zeros([K]));
    this.transitions = this.param('transitions', normal([K, K], rng, 0.01));
    if (config.boundary ?? true) {
      this.start = this.param('start', zeros([K]));
      this.end = this.param('end', zeros([K]));
    } else {
      this.start = constant(zerosTensor([K]), 'start');
      this.end = constant(zerosTensor([K]), 'end');
    }
    this.constraints = config.constraints;
  }

  get numTags(): number {
    return this.config.numTags;
  }

  /** E = h·W + b, [B, T, K]. */
  emissions(h: Variable): Variable {
    return ops.add(ops.matmul(h, this.W), this.b);
  }

  /** Mean NLL over the batch's sentences (paper E5). `tags` [B·T] with any value at padding. */
  nll(h: Variable, tags: Int32Array, lengths: Int32Array): Variable {
    const perSentence = ops.crfNll(this.emissions(h), this.transitions, this.start, this.end, tags, lengths, this.constraints);
    return ops.mean(perSentence);
  }

  /** Best tag ids per sentence [B·T], −1 at padding. */
  decode(h: Variable, lengths: Int32Array): Int32Array {
    return noGrad(() => {
      const E = this.emissions(h);
      const [B, T, K] = E.shape;
      const { A, s, e } = constrainedScores(this.transitions.value, this.start.value, this.end.value, this.constraints);
      return getBackend().viterbi(E.value.values(), A, s, e, { B, T, K, lengths }).tags;
    });
  }

  /**
   * The k best tag sequences per sentence with their probabilities p(y | x) = exp(s(y) − log Z)
   * (kernels/cpu/kBestViterbi.ts), under this CRF's constraints: paths that break them are never
   * returned, so a sentence may get fewer than k.
   */
  decodeNBest(h: Variable, lengths: Int32Array, k: number): NBestPaths {
    return noGrad(() => {
      const E = this.emissions(h);
      const [B, T, K] = E.shape;
      const { A, s, e } = constrainedScores(this.transitions.value, this.start.value, this.end.value, this.constraints);
      const backend = getBackend(), dims = { B, T, K, lengths }, emissions = E.value.values();
      const { paths, scores, counts } = backend.kBestViterbi(emissions, A, s, e, dims, k);
      const { logZ } = backend.crfForwardBackward(emissions, A, s, e, dims, false);
      const probabilities = scores.map((score, i) => Math.exp(score - logZ[Math.floor(i / k)]));
      return { k, T, paths, probabilities, counts };
    });
  }

  /** p(y_t = k | x) for every position [B, T, K] (zero at padding). */
  marginals(h: Variable, lengths: Int32Array): Tensor {
    return noGrad(() => {
      const E = this.emissions(h);
      const [B, T, K] = E.shape;
      const { A, s, e } = constrainedScores(this.transitions.value, this.start.value, this.end.value, this.constraints);
      return new Tensor(getBackend().crfForwardBackward(E.value.values(), A, s, e, { B, T, K, lengths }).unary, [B, T, K]);
    });
  }
}

/**
 * BIO constraints for a tag list: I-X may only follow B-X or I-X and may not start a sentence.
 * BIOES adds: E-X/I-X follow B-X/I-X; B-X/I-X must be followed by I-X/E-X; S-X/E-X/O end chunks.
 */
export function schemeConstraints(tags: readonly string[], scheme: 'BIO' | 'BIOES' | 'IOB1'): CrfConstraints | undefined {
  if (scheme === 'IOB1') return undefined;
  const K = tags.length;
  const split = tags.map((t) => (t === 'O' ? { p: 'O', type: '' } : { p: t.slice(0, 1), type: t.slice(2) }));
  const transitions = new Uint8Array(K * K), start = new Uint8Array(K), end = new Uint8Array(K);
  const inside = (p: string): boolean => p === 'I' || (scheme === 'BIOES' && p === 'E');
  const open = (p: string): boolean => p === 'B' || p === 'I'; // in BIOES these need a continuation
  for (let j = 0; j < K; j++) {
    start[j] = inside(split[j].p) ? 0 : 1;
    end[j] = scheme === 'BIOES' && open(split[j].p) ? 0 : 1;
    for (let i = 0; i < K; i++) {
      const from = split[i], to = split[j];
      let ok: boolean;
      if (scheme === 'BIO') ok = to.p !== 'I' || ((from.p === 'B' || from.p === 'I') && from.type === to.type);
      else {
        const continues = inside(to.p);
        ok = open(from.p) ? continues && from.type === to.type : !continues;
      }
      transitions[i * K + j] = ok ? 1 : 0;
    }
  }
  return { transitions, start, end };
}
