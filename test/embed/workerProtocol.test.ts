/**
 * The page ↔ worker protocol over a MessageChannel (the same postMessage/addEventListener surface a
 * browser Worker has): load, tag, tag many, errors carried back as rejections, ids matched when
 * replies overlap.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MessageChannel } from 'node:worker_threads';
import { NerTagger, createTaggerWorker, serveTagger, type PortLike } from '../../lib/embed/index.ts';
import { encodeTagger } from '../../lib/io/index.ts';
import { Tagger } from '../../lib/nn/index.ts';
import { LabelSet, Vocabulary } from '../../lib/data/index.ts';
import { Rng } from '../../lib/tensor/index.ts';

function modelBytes(): Uint8Array {
  const words = Vocabulary.fromTokens(['the', 'patient', 'has', 'breast', 'cancer', '.'], { kind: 'word', minCount: 1 });
  const labels = new LabelSet(['Disease'], 'BIO');
  const tagger = new Tagger({
    encoder: { wordVocabularySize: words.size, wordDim: 8, char: 'none', charVocabularySize: 0, charDim: 4, charSize: 4, hidden: 6, dropout: 0 },
    labels: [...labels.tags], scheme: 'BIO', constrained: true, boundary: true,
  }, new Rng(5));
  return encodeTagger(tagger, { words, chars: null, labels });
}

function channel() {
  const { port1, port2 } = new MessageChannel();
  serveTagger(port2 as unknown as PortLike);
  return { client: createTaggerWorker(port1 as unknown as PortLike), close: () => { port1.close(); port2.close(); } };
}

test('worker protocol: tag before load is an error; load then tag gives the in-thread result', async () => {
  const { client, close } = channel();
  try {
    await client.tag('the patient').then(() => assert.unreachable('tag without a model'), (e: Error) => assert.match(e.message, /no model loaded/));
    const bytes = modelBytes();
    const info = await client.load(bytes);
    assert.equal(info.entityTypes, ['Disease']);
    assert.is(bytes.length > 0, true, 'a Uint8Array is copied, not emptied');
    const text = 'the patient has breast cancer .';
    const [one, many] = await Promise.all([client.tag(text), client.tagMany([text, 'cancer .'])]);
    const want = NerTagger.fromBytes(bytes).tagMany([text, 'cancer .']);
    assert.equal(one.tags, want[0].tags);
    assert.equal(many.map((r) => r.tags), want.map((r) => r.tags));
  } finally {
    close();
  }
});

test('worker protocol: a corrupt model is rejected with the decoder\'s message', async () => {
  const { client, close } = channel();
  try {
    const bytes = modelBytes();
    await client.load(bytes.subarray(0, 20)).then(() => assert.unreachable('corrupt model accepted'), (e: Error) => assert.ok(e.message.length > 0));
  } finally {
    close();
  }
});

test.run();
