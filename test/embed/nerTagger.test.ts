/**
 * The embedding API: text → tokens with offsets, model bytes → entities with offsets and CRF-marginal
 * confidences, agreeing with the tagger's own Viterbi path; loading from a URL; bad input refused.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NerTagger, tokenizeText } from '../../lib/embed/index.ts';
import { predictTags } from '../../lib/train/index.ts';
import { encodeSentence, findTagProblem, DECODE_WINDOW } from '../../lib/data/index.ts';
import { syntheticModel } from '../helpers/syntheticModel.ts';

test('tokenizeText words: runs of letters/digits with inner joiners, other symbols alone, exact offsets', () => {
  const text = "The IL-2 level (3.5 mg/dl) wasn't  1,000.";
  const tokens = tokenizeText(text, 'words');
  assert.equal(tokens.map((t) => t.text), ['The', 'IL-2', 'level', '(', '3.5', 'mg', '/', 'dl', ')', "wasn't", '1,000', '.']);
  for (const t of tokens) assert.is(text.slice(t.start, t.end), t.text);
});

test('tokenizeText chars: every non-space code point, astral characters kept whole', () => {
  const text = '患者 诉𠀀头痛';
  const tokens = tokenizeText(text, 'chars');
  assert.equal(tokens.map((t) => t.text), ['患', '者', '诉', '𠀀', '头', '痛']);
  for (const t of tokens) assert.is(text.slice(t.start, t.end), t.text);
});

test('tokenizeText: U+FEFF is a character, as in the corpus parser; Unicode White_Space separates', () => {
  // JavaScript's \s would count U+FEFF as space and drop it; the corpora keep it inside tokens.
  assert.equal(tokenizeText('ab\uFEFFc d', 'spaces').map((t) => t.text), ['ab\uFEFFc', 'd']);
  assert.equal(tokenizeText('患\uFEFF者', 'chars').map((t) => t.text), ['患', '\uFEFF', '者']);
  assert.equal(tokenizeText('a\u3000b\u00A0c\u2028d', 'spaces').map((t) => t.text), ['a', 'b', 'c', 'd']);
  assert.equal(tokenizeText('x\uFEFF1 y', 'words').map((t) => t.text), ['x', '\uFEFF', '1', 'y']);
});

const model = syntheticModel;

test('NerTagger: entities follow the Viterbi path, offsets point into the text, confidences are probabilities', () => {
  const { bytes, vocab, tagger } = model();
  const ner = NerTagger.fromBytes(bytes);
  assert.is(ner.tokenizeMode, 'words');
  assert.equal(ner.entityTypes.sort(), ['Disease', 'Drug']);
  const text = 'She was treated with aspirin for breast cancer.';
  const r = ner.tag(text);
  const tokens = r.tokens.map((t) => t.text);
  const path = predictTags(tagger, [encodeSentence({ tokens, tags: tokens.map(() => 'O'), line: 1 }, vocab.words, vocab.chars, vocab.labels)], vocab.labels)[0];
  assert.equal(r.tags, path);
  assert.ok(r.entities.length > 0, `no entity found in ${JSON.stringify(r.tags)}`);
  for (const e of r.entities) {
    assert.is(text.slice(e.start, e.end), e.text);
    assert.is(e.text, text.slice(r.tokens[e.tokenStart].start, r.tokens[e.tokenEnd - 1].end));
    assert.ok(e.confidence > 0 && e.confidence <= 1 + 1e-6, `confidence ${e.confidence}`);
    assert.is(r.tags[e.tokenStart], `B-${e.type}`);
  }
});

test('NerTagger: token input, batches equal single calls, empty text gives nothing', () => {
  const ner = NerTagger.fromBytes(model().bytes);
  const texts = ['the patient has diabetes .', 'insulin was given daily .', '', 'no history of asthma was reported .'];
  const one = texts.map((t) => ner.tag(t));
  const many = ner.tagMany(texts, { batchSize: 2 });
  assert.equal(many.map((r) => r.tags), one.map((r) => r.tags));
  many.forEach((r, i) => r.entities.forEach((e, j) => assert.ok(Math.abs(e.confidence - one[i].entities[j].confidence) < 1e-5)));
  assert.equal(ner.tag('').entities, []);
  const fromTokens = ner.tag(['the', 'patient', 'has', 'diabetes', '.']);
  assert.equal(fromTokens.tags, one[0].tags);
  assert.throws(() => ner.tag(['two words']), /token 0 \("two words"\) is empty or contains white space/);
});

test('NerTagger nbest: the k most probable labellings, best first = Viterbi, valid BIO, distinct, probabilities summing to 1 over all', () => {
  const { bytes, vocab } = model();
  const ner = NerTagger.fromBytes(bytes);
  const text = 'aspirin for breast cancer';
  const plain = ner.tag(text);
  const K = vocab.labels.size, L = plain.tokens.length;
  const all = ner.tag(text, { nbest: K ** L });
  assert.equal(all.tags, plain.tags);
  assert.equal(all.entities, plain.entities);
  const n = all.nbest!;
  assert.equal(n[0].tags, plain.tags, 'the best labelling is the Viterbi path');
  assert.equal(n[0].entities, plain.entities);
  const seen = new Set<string>();
  let total = 0;
  n.forEach((p, i) => {
    assert.is(findTagProblem(p.tags, vocab.labels.scheme), null, `labelling ${i} breaks ${vocab.labels.scheme}`);
    assert.not.ok(seen.has(p.tags.join(' ')), 'labellings are distinct');
    seen.add(p.tags.join(' '));
    if (i > 0) assert.ok(p.probability <= n[i - 1].probability, 'best first');
    total += p.probability;
  });
  assert.ok(n.length < K ** L, 'the scheme forbids some labellings');
  assert.ok(Math.abs(total - 1) < 1e-4, `probabilities of every allowed labelling sum to ${total}`);
  const top3 = ner.tag(text, { nbest: 3 }).nbest!;
  assert.equal(top3.map((p) => p.tags), n.slice(0, 3).map((p) => p.tags));
  assert.throws(() => ner.tag(text, { nbest: 0 }), /nbest must be a positive integer/);
  assert.is(ner.tag(text).nbest, undefined);
});

test('NerTagger: an input longer than DECODE_WINDOW is tagged window by window, like the windows alone', () => {
  const { bytes, vocab, tagger } = model();
  const ner = NerTagger.fromBytes(bytes);
  const words = ['aspirin', 'for', 'breast', 'cancer', 'and', 'the', 'patient', 'has', 'diabetes', '.'];
  const tokens = Array.from({ length: 2 * DECODE_WINDOW + 37 }, (_, i) => words[(i * 7) % words.length]);
  const whole = ner.tag(tokens);
  const parts = [tokens.slice(0, DECODE_WINDOW), tokens.slice(DECODE_WINDOW, 2 * DECODE_WINDOW), tokens.slice(2 * DECODE_WINDOW)].map((p) => ner.tag(p));
  assert.equal(whole.tags, parts.flatMap((p) => p.tags));
  assert.ok(whole.entities.length > 0);
  for (const e of whole.entities) assert.is(e.text, tokens.slice(e.tokenStart, e.tokenEnd).join(' '));
  // The trainer's decoder windows the same way.
  const encoded = encodeSentence({ tokens, tags: tokens.map(() => 'O'), line: 1 }, vocab.words, vocab.chars, vocab.labels);
  assert.equal(predictTags(tagger, [encoded], vocab.labels)[0], whole.tags);
  assert.throws(() => ner.tag(tokens, { nbest: 2 }), /nbest needs the whole input in one window; input 0 has 2085 tokens, more than 1024/);
});

test('NerTagger.load: bytes, ArrayBuffer and a URL give the same tagger; a truncated model is refused', async () => {
  const { bytes } = model();
  const text = 'he stopped taking metformin last week .';
  const want = NerTagger.fromBytes(bytes).tag(text);
  const fromBuffer = await NerTagger.load(bytes.slice().buffer);
  const fromUrl = await NerTagger.load(`data:application/octet-stream;base64,${btoa(String.fromCharCode(...bytes))}`);
  assert.equal(fromBuffer.tag(text).tags, want.tags);
  assert.equal(fromUrl.tag(text).tags, want.tags);
  await NerTagger.load(bytes.subarray(0, bytes.length - 10)).then(() => assert.unreachable('truncated model accepted'), (e: Error) => assert.match(e.message, /truncated|length|short/i));
});

test.run();
