/**
 * The synthetic tagger batches and model sizes the tagger and peers benchmarks share, so that
 * ladtl and its TF.js twin (bench/peers/tfjsTagger.ts) are timed on exactly the same input.
 *
 * Sizes are the paper's: embeddings 100, Bi-LSTM 100 per direction, batch 15 (the authors' run.sh)
 * × 40 tokens, 7 BIO tags, a 5,000-entry vocabulary.
 */
import type { Rng } from '../../lib/tensor/index.ts';
import type { TaggerBatch, TaggerConfig } from '../../lib/nn/index.ts';

export const LABELS = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC', 'B-ORG', 'I-ORG'];

export const PAPER_SIZES = { batch: 15, length: 40, vocab: 5000, wordDim: 100, hidden: 100, chars: 80 } as const;

/** The tagger configuration of the benchmarks: `none` is the character-level (Chinese) model. */
export function paperTaggerConfig(char: 'none' | 'cnn'): TaggerConfig {
  return {
    encoder: {
      wordVocabularySize: PAPER_SIZES.vocab, wordDim: PAPER_SIZES.wordDim, char,
      charVocabularySize: PAPER_SIZES.chars, charDim: 30, charSize: 50, hidden: PAPER_SIZES.hidden, dropout: 0.5,
    },
    labels: LABELS, scheme: 'BIO', constrained: true, boundary: true,
  };
}

/**
 * A padded batch of B sentences of at most T tokens: sentence 0 has T tokens, the others between
 * T − ⌊T/4⌋ + 1 and T. Word ids are uniform over the vocabulary minus the two reserved ids; tags are
 * O, or B-PER with probability 1/7 (every gold path is allowed under the BIO constraints); padding
 * has tag −1. `maxChars` 1 gives a batch for the model without a char encoder.
 */
export function syntheticBatch(rng: Rng, B: number, T: number, vocab: number, chars: number, maxChars: number): TaggerBatch {
  const lengths = Int32Array.from({ length: B }, (_, b) => (b === 0 ? T : T - rng.int(Math.floor(T / 4))));
  const wordIds = new Int32Array(B * T), tagIds = new Int32Array(B * T).fill(-1);
  const charIds = new Int32Array(B * T * maxChars), charLengths = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < lengths[b]; t++) {
      wordIds[b * T + t] = 2 + rng.int(vocab - 2);
      tagIds[b * T + t] = rng.int(LABELS.length) === 0 ? 1 : 0; // mostly O, some B
      const n = 1 + rng.int(maxChars);
      charLengths[b * T + t] = n;
      for (let c = 0; c < n; c++) charIds[(b * T + t) * maxChars + c] = 2 + rng.int(chars - 2);
    }
  }
  return { size: B, maxLen: T, lengths, wordIds, tagIds, charIds, charLengths, maxChars };
}

/** Real (non-padding) tokens of a batch. */
export function realTokens(batch: TaggerBatch): number {
  return batch.lengths.reduce((a, b) => a + b, 0);
}
