/**
 * `CharEncoder`: one vector per token from its characters (code points), either a char CNN with
 * max-pooling over characters or a char Bi-LSTM whose two final states are concatenated.
 * For Chinese corpora a token is one character; both variants then see sequences of length 1 and
 * still work (the CNN's padding lets a width-3 filter see a single character).
 */
import { type Rng, Tensor } from '../tensor/index.ts';
import type { Variable } from '../autodiff/index.ts';
import * as ops from '../ops/index.ts';
import { Module } from './module.ts';
import { Embedding } from './embedding.ts';
import { Lstm } from './lstm.ts';
import { glorotUniform, zeros } from './init.ts';

export type CharMode = 'cnn' | 'lstm';

export interface CharEncoderConfig {
  mode: CharMode;
  /** Number of distinct characters (rows of the char embedding). */
  vocabularySize: number;
  charDim: number;
  /** CNN: number of filters; LSTM: hidden size per direction. */
  size: number;
  /** CNN filter width (odd). */
  width?: number;
}

/** The characters of a batch: ids [N, C] for N tokens padded to C chars, and each token's char count. */
export interface CharBatch {
  ids: Int32Array;
  lengths: Int32Array;
  tokens: number;
  maxChars: number;
}

export class CharEncoder extends Module {
  readonly embedding: Embedding;
  private readonly filters: Variable | null = null;
  private readonly filterBias: Variable | null = null;
  private readonly fwd: Lstm | null = null;
  private readonly bwd: Lstm | null = null;

  constructor(readonly config: CharEncoderConfig, rng: Rng) {
    super();
    const { mode, vocabularySize, charDim, size } = config;
    this.embedding = this.child('embedding', new Embedding(vocabularySize, charDim, rng));
    if (mode === 'cnn') {
      const width = config.width ?? 3;
      if (width % 2 !== 1) throw new Error(`CharEncoder: CNN width must be odd, got ${width}`);
      this.filters = this.param('filters', glorotUniform([width, charDim, size], rng, width * charDim, size));
      this.filterBias = this.param('filterBias', zeros([size]));
    } else if (mode === 'lstm') {
      this.fwd = this.child('forward', new Lstm(charDim, size, false, rng));
      this.bwd = this.child('backward', new Lstm(charDim, size, true, rng));
    } else {
      throw new Error(`CharEncoder: unknown mode "${mode as string}" (cnn or lstm)`);
    }
  }

  get outputDim(): number {
    return this.config.mode === 'cnn' ? this.config.size : 2 * this.config.size;
  }

  /** chars of N tokens → [N, outputDim]. Tokens with no characters (padding) count as one <pad> char. */
  forward(chars: CharBatch): Variable {
    const { tokens: N, maxChars: C } = chars;
    const lengths = Int32Array.from(chars.lengths, (l) => Math.max(1, Math.min(l, C)));
    const e = this.embedding.forward(chars.ids, [N, C]);
    if (this.filters && this.filterBias) {
      // Convolution over each word's own characters (zero-padded at the word's ends), max-pooled
      // over them: one fused op that never touches the padded characters (lib/ops/charCnn.ts).
      return ops.charCnn(e, this.filters, this.filterBias, lengths);
    }
    // Char Bi-LSTM: the forward direction's state at the last char and the backward one's at the first.
    const hf = this.fwd!.forward(e, lengths), hb = this.bwd!.forward(e, lengths);
    const lastF = new Float32Array(N * C), firstB = new Float32Array(N * C);
    for (let n = 0; n < N; n++) { lastF[n * C + lengths[n] - 1] = 1; firstB[n * C] = 1; }
    const pick = (h: Variable, sel: Float32Array): Variable => ops.sum(ops.mul(h, new Tensor(sel, [N, C, 1])), 1);
    return ops.concat([pick(hf, lastF), pick(hb, firstB)], -1);
  }
}
