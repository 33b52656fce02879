import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isCharacterLevelCorpus, isCharacterLevelVocabulary, Vocabulary } from '../../lib/data/index.ts';

test('character-level corpus: every sampled token is one code point (astral characters count as one)', () => {
  const zh = [{ tokens: ['患', '者', '𠀀'], tags: ['O', 'O', 'O'], line: 1 }];
  const en = [{ tokens: ['the', 'a'], tags: ['O', 'O'], line: 1 }];
  assert.ok(isCharacterLevelCorpus(zh));
  assert.not.ok(isCharacterLevelCorpus([...zh, ...en]));
  // Only the first `sample` sentences are looked at.
  assert.ok(isCharacterLevelCorpus([...zh, ...en], 1));
});

test('character-level vocabulary: more than 95% single code points among real entries', () => {
  const chars = Array.from('患者头痛三天发热咳嗽胸闷气短乏力恶心呕吐腹痛腹泻便秘', (c) => c);
  assert.ok(isCharacterLevelVocabulary(Vocabulary.fromTokens([...chars, 'CT'], { kind: 'word' })), '1 of 27 multi-character entries is tolerated');
  assert.not.ok(isCharacterLevelVocabulary(Vocabulary.fromTokens([...chars.slice(0, 5), 'CT', 'MRI'], { kind: 'word' })));
  assert.not.ok(isCharacterLevelVocabulary(Vocabulary.fromTokens([], { kind: 'word' })), 'no real entries');
});

test.run();
