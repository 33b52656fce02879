/**
 * The training defaults, one home for `ladtl train`, `ladtl experiment` and the library: Adam at
 * 0.002 with batches of 15 sentences (per domain in transfer), gradient norm clipped at 5, 100 LSTM
 * units per direction, 100-dimensional word embeddings, dropout 0.5 on the embeddings. Batch 15 is
 * the paper's; the learning rate is the one the reproduction uses (docs/method.md). The character
 * encoder depends on the corpus: {@link defaultCharEncoder}.
 */
import { isCharacterLevelCorpus, type Sentence } from '../data/index.ts';

export const TRAINING_DEFAULTS = {
  optimizer: 'adam',
  lr: 0.002,
  batch: 15,
  clip: 5,
  hidden: 100,
  wordDim: 100,
  dropout: 0.5,
} as const;

/**
 * The character encoder a corpus gets by default: none when its tokens are single characters (the
 * Chinese corpora: a character's own embedding is all a char encoder could see, and it only costs
 * time), the char CNN otherwise.
 */
export function defaultCharEncoder(train: readonly Sentence[]): 'none' | 'cnn' {
  return isCharacterLevelCorpus(train) ? 'none' : 'cnn';
}
