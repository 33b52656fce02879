/**
 * A tagger trained for a few epochs on the synthetic corpus (Disease and Drug entities, English
 * words, char CNN), as model-file bytes with its vocabularies: small, quick (~2 s), and good enough
 * that it finds entities in sentences like the corpus's. It keeps 40 training sentences as its sample.
 */
import { encodeTagger } from '../../lib/io/index.ts';
import type { Tagger } from '../../lib/nn/index.ts';
import { buildVocab, encodeSplit, trainTagger, type TaggerVocab } from '../../lib/train/index.ts';
import { syntheticSentences } from './syntheticCorpus.ts';

let cached: { bytes: Uint8Array; vocab: TaggerVocab; tagger: Tagger } | null = null;

export function syntheticModel(): { bytes: Uint8Array; vocab: TaggerVocab; tagger: Tagger } {
  if (cached) return cached;
  const train = syntheticSentences(120, 1), dev = syntheticSentences(30, 2, true);
  const vocab = buildVocab(train, { minCount: 1, lowercase: false, normalizeDigits: false, chars: true, scheme: 'BIO' });
  const data = { train: encodeSplit(train, vocab), dev: encodeSplit(dev, vocab) };
  const { tagger } = trainTagger({
    encoder: { wordVocabularySize: vocab.words.size, wordDim: 24, char: 'cnn', charVocabularySize: vocab.chars!.size, charDim: 12, charSize: 12, hidden: 24, dropout: 0.2 },
    labels: [...vocab.labels.tags], scheme: 'BIO', constrained: true, boundary: true,
  }, vocab, data, { epochs: 4, batchSize: 8, optimizer: 'adam', learningRate: 0.01, clipNorm: 5, weightDecay: 0, seed: 1 });
  // The first 40 training sentences are kept in the file: the source sample La-DTL fine-tuning uses.
  cached = { bytes: encodeTagger(tagger, vocab, {}, train.slice(0, 40)), vocab, tagger };
  return cached;
}
