/**
 * Sentences -> ids -> padded mini-batches with masks.
 *
 * Layout: every per-token array is row-major `[b, t]` (sentence `b`, position `t`, index
 * `b * maxLen + t`), character ids are `[b, t, c]` (index `(b * maxLen + t) * maxChars + c`).
 * Padding: word and char ids 0 (`<pad>`), tag ids -1 (never a valid label, so a loss that forgets
 * the mask fails loudly instead of learning `O`), mask 0.
 */
import type { Sentence } from './conll.ts';
import type { LabelSet } from './labels.ts';
import type { Shuffler } from './shuffler.ts';
import { PAD_ID, type Vocabulary } from './vocabulary.ts';

/** One sentence as ids. */
export interface EncodedSentence {
  wordIds: Int32Array;
  /** Per token, its character ids (one per code point); an empty list when encoded without a char vocabulary. */
  charIds: Int32Array[];
  tagIds: Int32Array;
  length: number;
}

/** A padded mini-batch (see the module comment for the layout). */
export interface Batch {
  /** Number of sentences. */
  size: number;
  /** Longest sentence in the batch (tokens). */
  maxLen: number;
  /** `[size]` sentence lengths. */
  lengths: Int32Array;
  /** `[size * maxLen]` word ids, row-major `[b, t]`, pad 0. */
  wordIds: Int32Array;
  /** `[size * maxLen]` tag ids, pad -1. */
  tagIds: Int32Array;
  /** `[size * maxLen]` 1 for real tokens, 0 for padding. */
  mask: Float32Array;
  /** `[size * maxLen * maxChars]` character ids, pad 0; empty when the sentences have no char ids. */
  charIds: Int32Array;
  /** `[size * maxLen]` characters per token, 0 for padding. */
  charLengths: Int32Array;
  /** Longest token in the batch (code points); 0 without char ids. */
  maxChars: number;
  /** For each row, the sentence's position in the list given to {@link makeBatches}/{@link collate}. */
  indices: number[];
}

/**
 * Decoding takes sentences in windows of at most this many tokens: a sentence longer than that (a
 * 1 MB line of 190,000 tokens given to `ladtl tag`, issue 15) is cut into consecutive windows that
 * are tagged as sentences of their own and joined, so the memory of decoding is bounded whatever the
 * input. Real sentences are far shorter (the longest of the shared corpora has 324 tokens), so
 * their tags never depend on it; at a window's edge an entity may be cut in two.
 */
export const DECODE_WINDOW = 1024;

/** [start, end) token ranges covering `length` tokens in windows of at most `window`. */
export function tokenWindows(length: number, window = DECODE_WINDOW): [number, number][] {
  const out: [number, number][] = [];
  for (let start = 0; start < length; start += window) out.push([start, Math.min(length, start + window)]);
  return out;
}

/** Tokens [start, end) of an encoded sentence, as an encoded sentence of its own. */
export function sliceEncoded(e: EncodedSentence, start: number, end: number): EncodedSentence {
  return { wordIds: e.wordIds.slice(start, end), charIds: e.charIds.slice(start, end), tagIds: e.tagIds.slice(start, end), length: end - start };
}

/**
 * The character encoder sees at most this many characters of a token: the first ones (a token's
 * prefix carries most of what a char CNN or LSTM picks up: affixes, capitals, digits). Without a
 * limit one pathological token (a 10,000-character run in a corpus) sets the padded width of every
 * batch it is in: the char tensors grow with it, and training took 4.6 GB and 7x the time for one
 * 2,000-character token (issue 15). The word embedding still sees the whole token.
 */
export const MAX_TOKEN_CHARS = 100;

/** How many of the tokens (one list per sentence) are longer than {@link MAX_TOKEN_CHARS} code points (and get cut). */
export function longTokenCount(sentences: Iterable<readonly string[]>): number {
  let n = 0;
  for (const tokens of sentences) for (const t of tokens) if (t.length > MAX_TOKEN_CHARS && Array.from(t).length > MAX_TOKEN_CHARS) n++;
  return n;
}

/**
 * Encodes one sentence; the character ids of a token are those of its first
 * {@link MAX_TOKEN_CHARS} code points.
 * @param chars the character vocabulary, or `null` to skip character ids.
 * @throws Error for an empty sentence, tokens/tags of different lengths, an empty token, a
 *   vocabulary of the wrong kind, or a tag that is not in `labels` (naming the sentence's line).
 */
export function encodeSentence(sentence: Sentence, words: Vocabulary, chars: Vocabulary | null, labels: LabelSet): EncodedSentence {
  const n = sentence.tokens.length;
  const where = `sentence at line ${sentence.line}`;
  if (n === 0) throw new Error(`encodeSentence: ${where} is empty`);
  if (sentence.tags.length !== n) throw new Error(`encodeSentence: ${where} has ${n} tokens but ${sentence.tags.length} tags`);
  if (words.kind !== 'word') throw new Error(`encodeSentence: the word vocabulary has kind '${words.kind}'`);
  if (chars !== null && chars.kind !== 'char') throw new Error(`encodeSentence: the character vocabulary has kind '${chars.kind}'`);
  const wordIds = new Int32Array(n);
  const tagIds = new Int32Array(n);
  const charIds: Int32Array[] = [];
  for (let i = 0; i < n; i++) {
    const token = sentence.tokens[i];
    if (token === '') throw new Error(`encodeSentence: ${where}, token ${i} is empty`);
    wordIds[i] = words.id(token);
    try {
      tagIds[i] = labels.id(sentence.tags[i]);
    } catch (e) {
      throw new Error(`encodeSentence: ${where}, token ${i} (line ${sentence.line + i}): ${(e as Error).message}`);
    }
    if (chars !== null) {
      const ids = chars.charIds(token);
      charIds.push(ids.length > MAX_TOKEN_CHARS ? ids.slice(0, MAX_TOKEN_CHARS) : ids);
    }
  }
  return { wordIds, charIds, tagIds, length: n };
}

/**
 * Pads the sentences at `indices` (positions in `encoded`) into one batch, rows in the given order.
 * @throws Error when `indices` is empty or some sentences have char ids and others don't.
 */
export function collate(encoded: readonly EncodedSentence[], indices: readonly number[]): Batch {
  if (indices.length === 0) throw new Error('collate: no sentences');
  const rows = indices.map((i) => {
    const e = encoded[i];
    if (e === undefined) throw new RangeError(`collate: index ${i} is out of range 0..${encoded.length - 1}`);
    return e;
  });
  const withChars = rows[0].charIds.length > 0;
  let maxLen = 0, maxChars = 0;
  for (const [r, e] of rows.entries()) {
    if ((e.charIds.length > 0) !== withChars || (withChars && e.charIds.length !== e.length)) {
      throw new Error(`collate: sentence ${indices[r]} has ${e.charIds.length} char-id arrays for ${e.length} tokens, but sentence ${indices[0]} has ${rows[0].charIds.length} (encode all with the same char vocabulary or none)`);
    }
    maxLen = Math.max(maxLen, e.length);
    for (const c of e.charIds) maxChars = Math.max(maxChars, c.length);
  }
  const size = rows.length;
  const lengths = new Int32Array(size);
  const wordIds = new Int32Array(size * maxLen).fill(PAD_ID);
  const tagIds = new Int32Array(size * maxLen).fill(-1);
  const mask = new Float32Array(size * maxLen);
  const charIds = new Int32Array(size * maxLen * maxChars).fill(PAD_ID);
  const charLengths = new Int32Array(size * maxLen);
  rows.forEach((e, b) => {
    lengths[b] = e.length;
    wordIds.set(e.wordIds, b * maxLen);
    tagIds.set(e.tagIds, b * maxLen);
    mask.fill(1, b * maxLen, b * maxLen + e.length);
    e.charIds.forEach((c, t) => {
      charIds.set(c, (b * maxLen + t) * maxChars);
      charLengths[b * maxLen + t] = c.length;
    });
  });
  return { size, maxLen, lengths, wordIds, tagIds, mask, charIds, charLengths, maxChars, indices: indices.slice() };
}

/** Options of {@link makeBatches}. */
export interface BatchOptions {
  /** Group sentences of similar length to save padding. Default false. */
  sortByLength?: boolean;
  /** With `sortByLength`, sort within chunks of `chunkFactor * batchSize` sentences. Default 50. */
  chunkFactor?: number;
}

/**
 * Cuts the sentences into batches of `batchSize` (the last one may be smaller). Every sentence is
 * in exactly one batch; nothing is dropped.
 *
 * - `rng` given: the sentence order is shuffled first (only `rng.shuffle` is called, always on
 *   arrays this function owns). Same generator state, same batches.
 * - `sortByLength`: the (shuffled) order is cut into chunks of `chunkFactor * batchSize`, each
 *   chunk is sorted by length (stable, so ties keep the shuffled order), cut into batches, and with
 *   an `rng` the batch order is shuffled, so long and short batches alternate through an epoch.
 *   Sorting within chunks rather than globally keeps batch composition random from epoch to epoch.
 * - neither: batches follow the input order (use this for evaluation).
 */
export function makeBatches(encoded: readonly EncodedSentence[], batchSize: number, rng: Shuffler | null, options: BatchOptions = {}): Batch[] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`makeBatches: batchSize must be an integer >= 1, got ${batchSize}`);
  const chunkFactor = options.chunkFactor ?? 50;
  if (!Number.isInteger(chunkFactor) || chunkFactor < 1) throw new RangeError(`makeBatches: chunkFactor must be an integer >= 1, got ${chunkFactor}`);
  let order = encoded.map((_, i) => i);
  if (rng !== null) order = rng.shuffle(order);
  let groups: number[][] = [];
  if (options.sortByLength === true) {
    const chunk = chunkFactor * batchSize;
    for (let c = 0; c < order.length; c += chunk) {
      const part = order.slice(c, c + chunk).sort((a, b) => encoded[a].length - encoded[b].length); // Array.prototype.sort is stable
      for (let s = 0; s < part.length; s += batchSize) groups.push(part.slice(s, s + batchSize));
    }
    if (rng !== null) groups = rng.shuffle(groups);
  } else {
    for (let s = 0; s < order.length; s += batchSize) groups.push(order.slice(s, s + batchSize));
  }
  return groups.map((g) => collate(encoded, g));
}
