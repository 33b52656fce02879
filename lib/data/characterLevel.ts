/**
 * Whether a corpus or a trained model works on single characters (the Chinese corpora: one token per
 * character, no char encoder, no lowercasing) or on words. One rule for every place that must decide:
 * the experiment runner and examples (from the corpus), `ladtl tag` and the embedding API (from a
 * model's vocabulary).
 */
import type { Sentence } from './conll.ts';
import type { Vocabulary } from './vocabulary.ts';

const isOneCodePoint = (t: string): boolean => Array.from(t).length === 1;

/** True when every token of the first `sample` sentences is one code point. */
export function isCharacterLevelCorpus(sentences: readonly Sentence[], sample = 200): boolean {
  return sentences.slice(0, sample).every((s) => s.tokens.every(isOneCodePoint));
}

/**
 * True when more than 95% of a vocabulary's real entries (the reserved padding and unknown entries
 * left out) are one code point: a model trained on a character-level corpus. The margin tolerates
 * the odd multi-character token a Chinese corpus may hold (e.g. a Latin abbreviation).
 */
export function isCharacterLevelVocabulary(words: Vocabulary): boolean {
  if (words.size <= 2) return false;
  let single = 0;
  for (let i = 2; i < words.size; i++) if (isOneCodePoint(words.token(i))) single++;
  return single / (words.size - 2) > 0.95;
}
