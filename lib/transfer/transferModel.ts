/**
 * `TransferModel`: the La-DTL architecture (paper section 2, figure in paper.md 2.1): one encoder
 * (embeddings + Bi-LSTM) shared by both domains and one CRF per domain. Only the target CRF tags at
 * test time; `asTagger` views the encoder with either CRF as an ordinary `Tagger`.
 */
import type { Rng } from '../tensor/index.ts';
import { Module, Encoder, Tagger, Crf, crfFor, type TaggerConfig } from '../nn/index.ts';

export class TransferModel extends Module {
  readonly encoder: Encoder;
  readonly sourceCrf: Crf;
  readonly targetCrf: Crf;

  constructor(readonly config: TaggerConfig, rng: Rng) {
    super();
    this.encoder = this.child('encoder', new Encoder(config.encoder, rng));
    this.sourceCrf = this.child('sourceCrf', crfFor(config, this.encoder.outputDim, rng));
    this.targetCrf = this.child('targetCrf', crfFor(config, this.encoder.outputDim, rng));
  }

  /** The random streams training draws from (the encoder's dropout), for checkpoints. */
  randomStreams(): Rng[] {
    return this.encoder.randomStreams();
  }

  /** A tagger sharing this model's encoder and the chosen CRF (parameters are shared, not copied). */
  asTagger(which: 'source' | 'target'): Tagger {
    return Tagger.fromParts(this.config, this.encoder, which === 'source' ? this.sourceCrf : this.targetCrf);
  }
}
