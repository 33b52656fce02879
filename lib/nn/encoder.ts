/**
 * `Encoder`: the part La-DTL shares between domains (paper section 2): word embeddings (+ an optional
 * character encoder) → dropout → Bi-LSTM. Its output h [B, T, 2H] feeds each domain's CRF and the
 * label-aware MMD.
 */
import type { Rng } from '../tensor/index.ts';
import { isGradEnabled, type Variable } from '../autodiff/index.ts';
import * as ops from '../ops/index.ts';
import { Module } from './module.ts';
import { Embedding } from './embedding.ts';
import { CharEncoder, type CharMode } from './charEncoder.ts';
import { Dropout } from './dropout.ts';
import { BiLstm } from './lstm.ts';
import { InputProjectionCache } from './inputProjection.ts';

export interface EncoderConfig {
  wordVocabularySize: number;
  wordDim: number;
  char: CharMode | 'none';
  charVocabularySize: number;
  charDim: number;
  /** Char CNN filters or char LSTM hidden size. */
  charSize: number;
  hidden: number;
  /** Dropout on the embeddings (the authors' only dropout). */
  dropout: number;
  /** Dropout on the Bi-LSTM outputs, before the CRF (off unless set; not in the authors' code). */
  outputDropout?: number;
}

/** What the encoder reads from a batch (the fields of lib/data's `Batch`). */
export interface EncoderInput {
  size: number;
  maxLen: number;
  lengths: Int32Array;
  wordIds: Int32Array;
  charIds: Int32Array;
  charLengths: Int32Array;
  maxChars: number;
}

export class Encoder extends Module {
  readonly words: Embedding;
  readonly chars: CharEncoder | null;
  readonly lstm: BiLstm;
  private readonly dropout: Dropout;
  private readonly outputDropout: Dropout | null;
  /** Inference only: each word's e_w·W_ih, reused across calls while the weights are unchanged. */
  private readonly projections = new InputProjectionCache();

  constructor(readonly config: EncoderConfig, rng: Rng) {
    super();
    this.words = this.child('words', new Embedding(config.wordVocabularySize, config.wordDim, rng));
    this.chars = config.char === 'none'
      ? null
      : this.child('chars', new CharEncoder({ mode: config.char, vocabularySize: config.charVocabularySize, charDim: config.charDim, size: config.charSize }, rng));
    const inputDim = config.wordDim + (this.chars?.outputDim ?? 0);
    this.lstm = this.child('lstm', new BiLstm(inputDim, config.hidden, rng));
    this.dropout = new Dropout(config.dropout, rng.fork());
    this.outputDropout = config.outputDropout ? new Dropout(config.outputDropout, rng.fork()) : null;
  }

  /** Cached word-embedding projections of a batch for the Bi-LSTM (inference; float32 weights only). */
  private inputProjection(wordIds: Int32Array) {
    const embedding = this.words.table.value.values(), f = this.lstm.forwardLstm.Wih.value.values(), b = this.lstm.backwardLstm.Wih.value.values();
    if (!(embedding instanceof Float32Array && f instanceof Float32Array && b instanceof Float32Array)) return undefined;
    return this.projections.lookup(wordIds, { embedding, dim: this.config.wordDim, forwardWih: f, backwardWih: b, gates: 4 * this.config.hidden });
  }

  /**
   * Forgets the cached input projections (their memory stays allocated for reuse). Never needed
   * for correctness, as cached rows are checked against the weights; for cold-start benchmarks.
   */
  clearInferenceCache(): void {
    this.projections.clear();
  }

  get outputDim(): number {
    return this.lstm.outputDim;
  }

  /** The random streams training draws from after initialisation (dropout masks), for checkpoints. */
  randomStreams(): Rng[] {
    return [this.dropout.randomStream, ...(this.outputDropout ? [this.outputDropout.randomStream] : [])];
  }

  /** Batch → h [B, T, 2H]. Dropout applies to the embeddings (as in the authors' code), and optionally to h, when training. */
  forward(batch: EncoderInput, training: boolean): Variable {
    const { size: B, maxLen: T } = batch;
    let x = this.words.forward(batch.wordIds, [B, T]);
    if (this.chars) {
      const c = this.chars.forward({ ids: batch.charIds, lengths: batch.charLengths, tokens: B * T, maxChars: batch.maxChars });
      x = ops.concat([x, ops.reshape(c, [B, T, this.chars.outputDim])], -1);
    }
    const h = this.lstm.forward(this.dropout.forward(x, training), batch.lengths, training || isGradEnabled() ? undefined : this.inputProjection(batch.wordIds));
    return this.outputDropout ? this.outputDropout.forward(h, training) : h;
  }
}
