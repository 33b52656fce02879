/**
 * The tagger implementations the `peers` suite compares, behind one interface, and the set-up they
 * share: ladtl's model, optimizer and batches built exactly as bench/tagger.bench.ts builds them for
 * `char: 'none'` (same seed, same order of draws), so the peers suite times the same batches and,
 * for ladtl, the same model as the tagger suite. This module loads no TF.js, so that the ladtl
 * memory probe (./rssProbe.ts) does not pay for it.
 */
import { Rng } from '../../lib/tensor/index.ts';
import { backward, noGrad } from '../../lib/autodiff/index.ts';
import { Tagger, schemeConstraints, type TaggerBatch } from '../../lib/nn/index.ts';
import type { CrfConstraints } from '../../lib/ops/index.ts';
import { Adam } from '../../lib/train/index.ts';
import { LABELS, PAPER_SIZES, paperTaggerConfig, syntheticBatch } from './syntheticBatch.ts';

/** The in-process implementations (each also has a memory probe, ./rssProbe.ts). */
export const IMPL_NAMES = ['ladtl', 'tfjs-cpu', 'tfjs-wasm'] as const;
export type InProcessName = (typeof IMPL_NAMES)[number];
/** `torch` runs in a Python process of its own (./torchPeer.ts). */
export type ImplName = InProcessName | 'torch';

export const LEARNING_RATE = 0.001;
/** Batches cycled through by the timed functions (as in the tagger suite). */
export const BATCH_COUNT = 8;

/** What the suite needs of a tagger. */
export interface TaggerImpl {
  name: ImplName;
  /** Makes this implementation's backend current (tfjs); a no-op for ladtl. */
  activate(): void;
  /** Mean CRF NLL of the batch without dropout, no update. */
  evalLoss(batch: TaggerBatch): number;
  /** Forward with dropout, backward, Adam update; returns the training loss. */
  trainStep(batch: TaggerBatch): number;
  /** Viterbi tags [B·T], −1 at padding. */
  decode(batch: TaggerBatch): Int32Array;
  /**
   * How an out-of-process peer is timed: `run` does `n` operations on the batches from `first` on
   * (cycling) in one request, without sending results back, so that the channel's latency per
   * request is spread over `ops[op]` operations; the suite divides its times by that.
   */
  timed?: {
    ops: Record<TimedOperation, number>;
    run(op: TimedOperation, first: TaggerBatch, n: number): void;
  };
}

export type TimedOperation = 'train' | 'decode';

export interface PaperSetup {
  tagger: Tagger;
  optimizer: Adam;
  batches: TaggerBatch[];
  /** Copies of ladtl's initial parameter values, by ladtl's parameter names. */
  initial: Map<string, Float32Array>;
  constraints: CrfConstraints | undefined;
}

export function paperSetup(): PaperSetup {
  const { batch: B, length: T, vocab, chars } = PAPER_SIZES;
  const rng = new Rng(1);
  const config = paperTaggerConfig('none');
  const tagger = new Tagger(config, rng);
  const optimizer = new Adam(tagger.parameters(), LEARNING_RATE);
  const batches = Array.from({ length: BATCH_COUNT }, () => syntheticBatch(rng, B, T, vocab, chars, 1));
  const initial = new Map<string, Float32Array>();
  for (const [name, p] of tagger.namedParameters()) initial.set(name, Float32Array.from(p.value.values()));
  return { tagger, optimizer, batches, initial, constraints: schemeConstraints(LABELS, 'BIO') };
}

/**
 * ladtl as users run it; `coldCache` empties the encoder's inference cache of input projections
 * (lib/nn/inputProjection.ts) before every decode, the worst case of a stream of unseen words: the
 * timed batches cycle, so the default (warm) case sees every word cached after the first cycle.
 */
export function ladtlImpl({ tagger, optimizer }: PaperSetup, { coldCache = false } = {}): TaggerImpl {
  return {
    name: 'ladtl',
    activate: () => {},
    evalLoss: (batch) => noGrad(() => tagger.loss(batch, false).value.item()),
    trainStep: (batch) => {
      const loss = tagger.loss(batch, true);
      optimizer.zeroGrad();
      backward(loss);
      optimizer.step();
      return loss.value.item();
    },
    decode: (batch) => {
      if (coldCache) tagger.encoder.clearInferenceCache();
      return tagger.decode(batch);
    },
  };
}
