/** LabelSet: order, lookups, errors, JSON round trip. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LabelSet } from '../../lib/data/index.ts';
import { assertThrowsWith } from '../helpers/assert.ts';

test('BIO order: O first, then B-, I- per type in the given order', () => {
  const l = new LabelSet(['PER', 'Regulon-operon']);
  assert.equal(l.tags, ['O', 'B-PER', 'I-PER', 'B-Regulon-operon', 'I-Regulon-operon']);
  assert.is(l.size, 5);
  assert.equal(l.types, ['PER', 'Regulon-operon']);
  assert.is(l.scheme, 'BIO');
  assert.equal(new LabelSet(['X'], 'IOB1').tags, ['O', 'B-X', 'I-X']);
});

test('BIOES order: O, then B-, I-, E-, S- per type', () => {
  assert.equal(new LabelSet(['A', 'B'], 'BIOES').tags, ['O', 'B-A', 'I-A', 'E-A', 'S-A', 'B-B', 'I-B', 'E-B', 'S-B']);
});

test('id and tag are inverse; typeOf gives the type (null for O)', () => {
  const l = new LabelSet(['BODY', 'SIGN'], 'BIOES');
  for (let i = 0; i < l.size; i++) assert.is(l.id(l.tag(i)), i);
  assert.is(l.id('O'), 0);
  assert.is(l.typeOf(0), null);
  assert.is(l.typeOf(l.id('E-SIGN')), 'SIGN');
  assert.is(new LabelSet(['a-b']).typeOf(2), 'a-b');
  assert.ok(l.has('S-BODY'));
  assert.not.ok(l.has('B-DISEASE'));
});

test('an unknown tag names the tag and the known labels; ids out of range are RangeErrors', () => {
  const l = new LabelSet(['BODY', 'SIGN']);
  assertThrowsWith(() => l.id('B-DISEASE'), 'unknown label "B-DISEASE"', 'O, B-BODY, I-BODY, B-SIGN, I-SIGN');
  assertThrowsWith(() => l.id('S-BODY'), 'unknown label "S-BODY"');
  assert.throws(() => l.tag(5), RangeError);
  assert.throws(() => l.tag(-1), RangeError);
  assert.throws(() => l.tag(1.5), RangeError);
});

test('invalid types: duplicate, empty, whitespace; unknown scheme', () => {
  assertThrowsWith(() => new LabelSet(['A', 'B', 'A']), '"A" is listed twice');
  assertThrowsWith(() => new LabelSet(['']), 'invalid entity type');
  assertThrowsWith(() => new LabelSet(['New York']), 'invalid entity type');
  assertThrowsWith(() => new LabelSet(['A'], 'IOB2' as never), 'unknown tag scheme');
});

test('JSON round trip keeps scheme, types and ids; a changed ordering is detected', () => {
  const l = new LabelSet(['GGP', 'Chemical', 'Organism'], 'BIOES');
  const back = LabelSet.fromJSON(JSON.parse(JSON.stringify(l)));
  assert.equal(back.tags, l.tags);
  assert.is(back.scheme, 'BIOES');
  assert.equal(back.types, l.types);
  const json = l.toJSON();
  json.tags = [...json.tags].reverse();
  assertThrowsWith(() => LabelSet.fromJSON(json), 'stored tags', 'differ');
  assertThrowsWith(() => LabelSet.fromJSON({ types: ['A'] }), 'expected { scheme, types, tags }');
  assertThrowsWith(() => LabelSet.fromJSON(null), 'expected');
});

test('the label set does not change when the caller mutates its input array', () => {
  const types = ['A', 'B'];
  const l = new LabelSet(types);
  types.push('C');
  assert.equal(l.types, ['A', 'B']);
  assert.is(l.size, 5);
});

test.run();
