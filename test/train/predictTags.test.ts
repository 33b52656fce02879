/**
 * Decoding order and batch size do not change a sentence's tags: predictTags sorts sentences by
 * length and decodes them in large batches, and must give exactly what one-at-a-time decoding
 * gives, in input order (char CNN model, so the char path is covered too, on the default backend).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../lib/tensor/index.ts';
import { Tagger } from '../../lib/nn/index.ts';
import { buildVocab, encodeAll, predictTags } from '../../lib/train/index.ts';
import { syntheticSentences } from '../helpers/syntheticCorpus.ts';

test('predictTags: same tags in input order whatever the batch size', () => {
  const sentences = syntheticSentences(150, 4);
  const vocab = buildVocab(sentences, { minCount: 1, lowercase: false, normalizeDigits: false, chars: true, scheme: 'BIO' });
  const tagger = new Tagger({
    encoder: { wordVocabularySize: vocab.words.size, wordDim: 12, char: 'cnn', charVocabularySize: vocab.chars!.size, charDim: 6, charSize: 8, hidden: 8, dropout: 0.5 },
    labels: [...vocab.labels.tags], scheme: 'BIO', constrained: true, boundary: true,
  }, new Rng(3));
  const encoded = encodeAll(sentences, vocab);
  const one = predictTags(tagger, encoded, vocab.labels, 1);
  const big = predictTags(tagger, encoded, vocab.labels, 128);
  const mid = predictTags(tagger, encoded, vocab.labels, 7);
  assert.equal(big, one);
  assert.equal(mid, one);
  one.forEach((tags, i) => assert.is(tags.length, sentences[i].tokens.length));
  assert.ok(new Set(one.flat()).size > 1, 'an untrained tagger still emits more than one tag here');
});

test.run();
