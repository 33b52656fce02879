/**
 * Between corpora and the tagger: vocabularies and label sets built from training sentences,
 * sentences encoded to ids, and predictions turned back into tag strings and conlleval scores.
 */
import type { Split } from './trainTransfer.ts';
import {
  type Sentence, type TagScheme, type EncodedSentence, LabelSet, Vocabulary, wordVocabularyFrom, charVocabularyFrom,
  encodeSentence, collate, convertTags, splitTag, tokenWindows, sliceEncoded,
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

/** Padded tokens per decoding batch (bounds the memory of a batch of long sentences). */
const MAX_DECODE_TOKENS = 8192;

/**
 * Tags every sentence in batches; returns tag strings in the vocab's scheme, in input order.
 * Sentences are decoded in order of length, so a batch pads to nearly nothing, and in large batches,
 * so the recurrent products have many rows: dev evaluation after every epoch stays a small part of
 * the epoch. A sentence's tags do not depend on which batch it is decoded in.
 */
export function predictTags(tagger: Tagger, sentences: readonly EncodedSentence[], labels: LabelSet, batchSize = 128): string[][] {
  // Sentences longer than DECODE_WINDOW are decoded in windows (batching.ts), joined below.
  const pieces: { sentence: number; start: number }[] = [];
  const encoded: EncodedSentence[] = [];
  sentences.forEach((e, i) => {
    for (const [start, end] of tokenWindows(e.length)) {
      pieces.push({ sentence: i, start });
      encoded.push(end - start === e.length ? e : sliceEncoded(e, start, end));
    }
  });
  const out: string[][] = sentences.map((e) => new Array<string>(e.length));
  const byLength = Array.from({ length: encoded.length }, (_, i) => i).sort((a, b) => encoded[a].length - encoded[b].length || a - b);
  for (let start = 0; start < byLength.length; ) {
    // At most `batchSize` sentences and about MAX_DECODE_TOKENS padded tokens (long sentences come in smaller batches).
    let end = start + 1;
    while (end < byLength.length && end - start < batchSize && (end - start + 1) * encoded[byLength[end]].length <= MAX_DECODE_TOKENS) end++;
    const indices = byLength.slice(start, end);
    start = end;
    const batch = collate(encoded, indices);
    const ids = tagger.decode(batch);
    indices.forEach((index, r) => {
      const { sentence, start } = pieces[index];
      const row = ids.subarray(r * batch.maxLen, r * batch.maxLen + batch.lengths[r]);
      row.forEach((id, t) => { out[sentence][start + t] = labels.tag(id); });
    });
  }
  return out;
}

/** conlleval scores of a tagger on gold sentences (tags in the vocab's scheme). */
export function evaluateTagger(tagger: Tagger, gold: readonly Sentence[], encoded: readonly EncodedSentence[], vocab: TaggerVocab, batchSize = 128): EvalResult {
  const guesses = predictTags(tagger, encoded, vocab.labels, batchSize);
  return evaluateSentences(gold.map((s, i) => ({ gold: s.tags, guess: guesses[i] })), { rules: vocab.labels.scheme === 'BIOES' ? 'iobes' : 'conlleval' });
}
