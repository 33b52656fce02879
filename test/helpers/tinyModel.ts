/**
 * Bytes of a small untrained tagger over a handful of tokens: enough to compare two code paths (a
 * bundle against the source, a worker against the same thread) on the same weights.
 */
import { LabelSet, Vocabulary } from '../../lib/data/index.ts';
import { encodeTagger } from '../../lib/io/index.ts';
import { Tagger } from '../../lib/nn/index.ts';
import { Rng } from '../../lib/tensor/index.ts';

export function tinyModelBytes(tokens: readonly string[], entityType: string, seed: number): Uint8Array {
  const words = Vocabulary.fromTokens(tokens, { kind: 'word', minCount: 1 });
  const labels = new LabelSet([entityType], 'BIO');
  const tagger = new Tagger({
    encoder: { wordVocabularySize: words.size, wordDim: 8, char: 'none', charVocabularySize: 0, charDim: 4, charSize: 4, hidden: 6, dropout: 0 },
    labels: [...labels.tags], scheme: 'BIO', constrained: true, boundary: true,
  }, new Rng(seed));
  return encodeTagger(tagger, { words, chars: null, labels });
}
