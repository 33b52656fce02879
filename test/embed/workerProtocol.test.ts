/**
 * The page ↔ worker protocol over a MessageChannel (the same postMessage/addEventListener surface a
 * browser Worker has): load, tag, tag many, errors carried back as rejections, ids matched when
 * replies overlap.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MessageChannel } from 'node:worker_threads';
import { tinyModelBytes } from '../helpers/tinyModel.ts';
import { syntheticModel } from '../helpers/syntheticModel.ts';
import { syntheticSentences } from '../helpers/syntheticCorpus.ts';
import { NerTagger, createTaggerWorker, serveTagger, type PortLike } from '../../lib/embed/index.ts';


function channel() {
  const { port1, port2 } = new MessageChannel();
  serveTagger(port2 as unknown as PortLike);
  return { client: createTaggerWorker(port1 as unknown as PortLike), close: () => { port1.close(); port2.close(); } };
}

test('worker protocol: tag before load is an error; load then tag gives the in-thread result', async () => {
  const { client, close } = channel();
  try {
    await client.tag('the patient').then(() => assert.unreachable('tag without a model'), (e: Error) => assert.match(e.message, /no model loaded/));
    const bytes = tinyModelBytes(['the', 'patient', 'has', 'breast', 'cancer', '.'], 'Disease', 5);
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
    const bytes = tinyModelBytes(['the', 'patient', 'has', 'breast', 'cancer', '.'], 'Disease', 5);
    await client.load(bytes.subarray(0, 20)).then(() => assert.unreachable('corrupt model accepted'), (e: Error) => assert.ok(e.message.length > 0));
  } finally {
    close();
  }
});

test('worker protocol: fine-tuning from marked-up lines reports progress, then tags with the adapted model', async () => {
  const { client, close } = channel();
  try {
    await client.load(syntheticModel().bytes);
    const source = syntheticSentences(40, 1).map((s) => s.tokens.map((t, i) => `${t}\t${s.tags[i]}`).join('\n')).join('\n\n');
    const marked = ['[gastritis|Disease] reported was not', 'daily [metformin|Drug] took she', '[nephritis|Disease] of history no'].join('\n');
    const progress: number[] = [];
    const record = await client.fineTune({ marked, source: { conll: source }, options: { epochs: 12 } }, (p) => progress.push(p.epoch));
    assert.is(record.targetSentences, 3);
    assert.ok(progress.length >= 12 && progress[progress.length - 1] === 12, `progress epochs ${progress.join(',')}`);
    const r = await client.tag('daily metformin took she');
    assert.equal(r.tags, ['O', 'B-Drug', 'O', 'O']);
    // save() hands back the adapted model: its bytes load into a tagger that tags the same.
    const saved = await client.save();
    const reloaded = NerTagger.fromBytes(saved);
    assert.equal(reloaded.tag('daily metformin took she').tags, r.tags);
    assert.is((reloaded.model.training.fineTuned as { targetSentences: number }).targetSentences, 3);
    assert.is(reloaded.model.sample.length, 40, 'the kept source sample travels with the adapted model');
    // Without a source, the model file's kept sample is the source domain.
    const fromSample = await client.fineTune({ marked, options: { epochs: 3 } });
    assert.is(fromSample.sourceSentences, 40);
    await client.fineTune({ marked: 'a [b|Chemical]', source: { conll: source } }).then(() => assert.unreachable('unknown type accepted'), (e: Error) => assert.match(e.message, /Chemical/));
  } finally {
    close();
  }
});

test.run();
