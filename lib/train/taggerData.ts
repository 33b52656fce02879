/**
 * Between corpora and the tagger: vocabularies and label sets built from training sentences,
 * sentences encoded to ids, and predictions turned back into tag strings and conlleval scores.
 */
import type { Split } from './trainTransfer.ts';
import {
  type Sentence, type TagScheme, type EncodedSentence, LabelSet, Vocabulary, wordVocabularyFrom, charVocabularyFrom,
  encodeSentence, collate, convertTags, splitTag,
} from '../data/index.ts';
import { evaluateSentences, type EvalResult } from '../eval/index.ts';
import type { Tagger } from '../nn/index.ts';

/** What a tagger needs to turn text into ids and back. Stored in model files. */
export interface TaggerVocab {
  words: Vocabulary;
  chars: Vocabulary | null;
  labels: LabelSet;
}

export interface VocabOptions {
  /** Keep words seen at least this often in training (rarer ones become <unk>). */
  minCount: number;
  lowercase: boolean;
  normalizeDigits: boolean;
  /** Build a character vocabulary (needed by a char encoder). */
  chars: boolean;
  /** The scheme the model tags in. */
  scheme: TagScheme;
  /** Entity types in a fixed order (e.g. a pair's shared labels); default: the types seen in training, sorted. */
  types?: readonly string[];
}

/** Entity types occurring in BIO-spelled sentences, in code-point order. */
export function typesOf(sentences: readonly Sentence[]): string[] {
  const types = new Set<string>();
  for (const s of sentences) for (const t of s.tags) if (t !== 'O') types.add(splitTag(t).type);
  return [...types].sort();
}

/** Vocabularies and label set from training sentences (tags spelled in BIO). */
export function buildVocab(train: readonly Sentence[], o: VocabOptions): TaggerVocab {
  const words = wordVocabularyFrom(train, { minCount: o.minCount, lowercase: o.lowercase, normalizeDigits: o.normalizeDigits });
  const chars = o.chars ? charVocabularyFrom(train, { normalizeDigits: o.normalizeDigits }) : null;
  return { words, chars, labels: new LabelSet(o.types ? [...o.types] : typesOf(train), o.scheme) };
}

/** Re-spells sentences from one tag scheme to another (a copy; tokens untouched). */
export function withScheme(sentences: readonly Sentence[], from: TagScheme, to: TagScheme): Sentence[] {
  if (from === to) return [...sentences];
  return sentences.map((s) => ({ ...s, tags: convertTags(s.tags, from, to) }));
}

/** Encodes sentences (tags already in the vocab's scheme). */
export function encodeAll(sentences: readonly Sentence[], vocab: TaggerVocab): EncodedSentence[] {
  return sentences.map((s) => encodeSentence(s, vocab.words, vocab.chars, vocab.labels));
}

/** Sentences with their encoding: a training, dev or test split as the trainers take it. */
export function encodeSplit(sentences: readonly Sentence[], vocab: TaggerVocab): Split {
  return { sentences, encoded: encodeAll(sentences, vocab) };
}

/** Tags every sentence (in input order) in batches; returns tag strings in the vocab's scheme. */
export function predictTags(tagger: Tagger, encoded: readonly EncodedSentence[], labels: LabelSet, batchSize = 64): string[][] {
  const out: string[][] = new Array(encoded.length);
  for (let start = 0; start < encoded.length; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, encoded.length - start) }, (_, i) => start + i);
    const batch = collate(encoded, indices);
    const ids = tagger.decode(batch);
    indices.forEach((index, r) => {
      const row = ids.subarray(r * batch.maxLen, r * batch.maxLen + batch.lengths[r]);
      out[index] = Array.from(row, (id) => labels.tag(id));
    });
  }
  return out;
}

/** conlleval scores of a tagger on gold sentences (tags in the vocab's scheme). */
export function evaluateTagger(tagger: Tagger, gold: readonly Sentence[], encoded: readonly EncodedSentence[], vocab: TaggerVocab, batchSize = 64): EvalResult {
  const guesses = predictTags(tagger, encoded, vocab.labels, batchSize);
  return evaluateSentences(gold.map((s, i) => ({ gold: s.tags, guess: guesses[i] })), { rules: vocab.labels.scheme === 'BIOES' ? 'iobes' : 'conlleval' });
}
