import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseMarkedSentence, parseMarkedSentences } from '../../lib/embed/markup.ts';

test('marked sentence: brackets become B-/I- tags, the rest O, tokenised by the model rule', () => {
  const s = parseMarkedSentence('The patient was given [warfarin|Drug] for [atrial fibrillation|Disease] .', 'words', 4);
  assert.equal(s.tokens, ['The', 'patient', 'was', 'given', 'warfarin', 'for', 'atrial', 'fibrillation', '.']);
  assert.equal(s.tags, ['O', 'O', 'O', 'O', 'B-Drug', 'O', 'B-Disease', 'I-Disease', 'O']);
  assert.is(s.line, 4);
  const zh = parseMarkedSentence('患者[头痛|SIGN]三天', 'chars');
  assert.equal(zh.tags, ['O', 'O', 'B-SIGN', 'I-SIGN', 'O', 'O']);
});

test('marked sentences: blank lines skipped, line numbers kept; errors name line and column', () => {
  const all = parseMarkedSentences('a [b|X] c\n\n[d e|Y]\n', 'words');
  assert.equal(all.map((s) => s.line), [1, 3]);
  assert.throws(() => parseMarkedSentence('a [b c', 'words', 2), /line 2, column 3: '\[' outside an entity/);
  assert.throws(() => parseMarkedSentence('a [b|] c', 'words'), /needs a type/);
  assert.throws(() => parseMarkedSentence('a [ |X] c', 'words'), /has no text/);
  assert.throws(() => parseMarkedSentence('war[farin|Drug] .', 'words'), /splits a word/);
  assert.throws(() => parseMarkedSentence('   ', 'words', 9), /line 9: no tokens/);
});

test.run();
