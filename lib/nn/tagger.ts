/**
 * `Tagger`: the single-domain Bi-LSTM-CRF (paper section 2): an `Encoder` and one `Crf`. La-DTL
 * shares the encoder between two of these CRFs; a plain tagger is the special case with one.
 */
import type { Rng } from '../tensor/index.ts';
import { type Variable, noGrad } from '../autodiff/index.ts';
import { Module } from './module.ts';
import { Encoder, type EncoderConfig, type EncoderInput } from './encoder.ts';
import { Crf, schemeConstraints } from './crf.ts';

export type TagSchemeName = 'BIO' | 'IOB1' | 'BIOES';

export interface TaggerConfig {
  encoder: EncoderConfig;
  /** Tag strings in label-id order (e.g. from lib/data's LabelSet). */
  labels: string[];
  scheme: TagSchemeName;
  /** Forbid transitions the scheme disallows (e.g. O → I-X) in training and decoding. */
  constrained: boolean;
  /** Learn start/end scores (the paper's CRF has none). */
  boundary: boolean;
}

/** A batch the tagger can read: encoder input plus gold tag ids [B·T] (any value at padding). */
export interface TaggerBatch extends EncoderInput {
  tagIds: Int32Array;
}

/** Builds a CRF for `config`'s label set on top of an encoder of `inputDim` outputs. */
export function crfFor(config: TaggerConfig, inputDim: number, rng: Rng): Crf {
  return new Crf({
    inputDim,
    numTags: config.labels.length,
    boundary: config.boundary,
    constraints: config.constrained ? schemeConstraints(config.labels, config.scheme) : undefined,
  }, rng);
}

export class Tagger extends Module {
  readonly encoder: Encoder;
  readonly crf: Crf;

  /** @param init an Rng to initialise fresh modules, or existing modules to share (not copy). */
  constructor(readonly config: TaggerConfig, init: Rng | { encoder: Encoder; crf: Crf }) {
    super();
    if ('encoder' in init) {
      this.encoder = this.child('encoder', init.encoder);
      this.crf = this.child('crf', init.crf);
    } else {
      this.encoder = this.child('encoder', new Encoder(config.encoder, init));
      this.crf = this.child('crf', crfFor(config, this.encoder.outputDim, init));
    }
  }

  /** A tagger over existing modules (shared, not copied), e.g. La-DTL's encoder with its target CRF. */
  static fromParts(config: TaggerConfig, encoder: Encoder, crf: Crf): Tagger {
    return new Tagger(config, { encoder, crf });
  }

  /** Mean CRF NLL of the batch's gold tags (paper E5). */
  loss(batch: TaggerBatch, training: boolean): Variable {
    return this.crf.nll(this.encoder.forward(batch, training), padTags(batch), batch.lengths);
  }

  /** Viterbi tag ids [B·T], −1 at padding. */
  decode(batch: EncoderInput): Int32Array {
    return noGrad(() => this.crf.decode(this.encoder.forward(batch, false), batch.lengths));
  }
}

/** Gold tags with padding (−1 in lib/data batches) replaced by 0, which the CRF ignores anyway. */
export function padTags(batch: TaggerBatch): Int32Array {
  return Int32Array.from(batch.tagIds, (t) => (t < 0 ? 0 : t));
}
