/**
 * `Vocabulary`: token (word or character) <-> id, with `<pad>` = 0 and `<unk>` = 1 reserved.
 *
 * Deterministic by construction: entries are ordered by count (descending), then by code point order
 * of the string (the order of Python's `sorted` and of UTF-8 bytes, unlike JavaScript's default
 * UTF-16 comparison), so the same corpus gives the same ids in any implementation.
 *
 * Normalisation (applied when building and when looking up):
 * - `lowercase`: `String.prototype.toLowerCase()` (locale-independent Unicode lowercasing);
 * - `normalizeDigits`: every Unicode decimal digit (general category Nd: ASCII 0-9, full-width
 *   ０-９ as kept in the CCKS files, Arabic-Indic, Devanagari, ...) becomes ASCII `0`, so numbers of
 *   the same shape share an entry. Other numeric characters (Ⅻ, ½, 二) are not Nd and stay.
 *
 * A character vocabulary normalises the whole token first and then splits it into code points
 * (`Array.from`), never UTF-16 units, so an emoji outside the BMP is one character.
 *
 * The reserved strings are never looked up by text: a corpus token spelled `<pad>` or `<unk>` gets
 * the `<unk>` id, so no real token can share the padding id.
 */
import type { Sentence } from './conll.ts';

/** Id of the padding entry. */
export const PAD_ID = 0;
/** Id of the unknown entry. */
export const UNK_ID = 1;
/** Display names of the reserved entries. */
export const PAD_TOKEN = '<pad>';
export const UNK_TOKEN = '<unk>';

/** Options of a vocabulary. */
export interface VocabularyOptions {
  /** `'word'` (default): entries are whole tokens. `'char'`: entries are code points. */
  kind?: 'word' | 'char';
  /** Keep entries seen at least this many times (after normalisation). Default 1. */
  minCount?: number;
  /** Lowercase before counting and lookup. Default false. */
  lowercase?: boolean;
  /** Map every Unicode decimal digit to `0` before counting and lookup. Default false. */
  normalizeDigits?: boolean;
}

/** The JSON form of a {@link Vocabulary}; `tokens[0]` and `tokens[1]` are the reserved entries. */
export interface VocabularyJson {
  kind: 'word' | 'char';
  minCount: number;
  lowercase: boolean;
  normalizeDigits: boolean;
  tokens: string[];
}

const DIGIT = /\p{Nd}/gu;

/** Compares strings by code point (UTF-16 order differs for astral vs U+E000..U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i), y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800..DFFF) encode code points above FFFF, so they must sort after E000..FFFF.
    x = x >= 0xd800 && x <= 0xdfff ? x + 0x2000 : x >= 0xe000 ? x - 0x800 : x;
    y = y >= 0xd800 && y <= 0xdfff ? y + 0x2000 : y >= 0xe000 ? y - 0x800 : y;
    return x - y;
  }
  return a.length - b.length;
}

/** Word or character vocabulary. Build it with {@link Vocabulary.fromCounts} or the helpers below. */
export class Vocabulary {
  readonly kind: 'word' | 'char';
  readonly minCount: number;
  readonly lowercase: boolean;
  readonly normalizeDigits: boolean;
  private readonly entries: readonly string[];
  private readonly ids: ReadonlyMap<string, number>;

  private constructor(options: Required<VocabularyOptions>, entries: readonly string[]) {
    this.kind = options.kind;
    this.minCount = options.minCount;
    this.lowercase = options.lowercase;
    this.normalizeDigits = options.normalizeDigits;
    this.entries = Object.freeze([PAD_TOKEN, UNK_TOKEN, ...entries]);
    this.ids = new Map(entries.map((t, i) => [t, i + 2]));
  }

  private static resolve(options: VocabularyOptions): Required<VocabularyOptions> {
    const o = { kind: options.kind ?? 'word', minCount: options.minCount ?? 1, lowercase: options.lowercase ?? false, normalizeDigits: options.normalizeDigits ?? false };
    if (o.kind !== 'word' && o.kind !== 'char') throw new Error(`Vocabulary: kind must be 'word' or 'char', got ${String(o.kind)}`);
    if (!Number.isInteger(o.minCount) || o.minCount < 1) throw new Error(`Vocabulary: minCount must be an integer >= 1, got ${o.minCount}`);
    return o;
  }

  /**
   * Builds a vocabulary from counts of raw (unnormalised) strings. Counts of strings that normalise
   * to the same entry are added up before `minCount` applies. For a `'char'` vocabulary each key is
   * normalised and split into code points, so word counts can be passed directly.
   */
  static fromCounts(counts: Iterable<readonly [string, number]>, options: VocabularyOptions = {}): Vocabulary {
    const o = Vocabulary.resolve(options);
    const probe = new Vocabulary(o, []);
    const merged = new Map<string, number>();
    for (const [key, count] of counts) {
      if (typeof key !== 'string') throw new Error(`Vocabulary: keys must be strings, got ${typeof key}`);
      if (!(Number.isFinite(count) && count >= 0)) throw new Error(`Vocabulary: count of "${key}" must be a finite number >= 0, got ${count}`);
      const norm = probe.normalize(key);
      const units = o.kind === 'char' ? Array.from(norm) : [norm];
      for (const u of units) {
        if (u === PAD_TOKEN || u === UNK_TOKEN) continue; // reserved: looked up as <unk>
        merged.set(u, (merged.get(u) ?? 0) + count);
      }
    }
    const kept = [...merged].filter(([, c]) => c >= o.minCount);
    kept.sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0]));
    return new Vocabulary(o, kept.map(([t]) => t));
  }

  /** Builds a vocabulary by counting `tokens` (each occurrence counts 1). */
  static fromTokens(tokens: Iterable<string>, options: VocabularyOptions = {}): Vocabulary {
    const counts = new Map<string, number>();
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    return Vocabulary.fromCounts(counts, options);
  }

  /** The normalised form of a string under this vocabulary's options. */
  normalize(text: string): string {
    let s = this.lowercase ? text.toLowerCase() : text;
    if (this.normalizeDigits) s = s.replace(DIGIT, '0');
    return s;
  }

  /** Number of entries, the reserved two included. */
  get size(): number {
    return this.entries.length;
  }

  /** The id of a token (normalised first), or {@link UNK_ID} when it is not in the vocabulary. */
  id(token: string): number {
    return this.ids.get(this.normalize(token)) ?? UNK_ID;
  }

  /** Whether the (normalised) token has its own entry. */
  has(token: string): boolean {
    return this.ids.has(this.normalize(token));
  }

  /** The entry of `id` (normalised form; `<pad>`/`<unk>` for the reserved ids). @throws RangeError out of range. */
  token(id: number): string {
    if (!Number.isInteger(id) || id < 0 || id >= this.entries.length) throw new RangeError(`vocabulary id ${id} is out of range 0..${this.entries.length - 1}`);
    return this.entries[id];
  }

  /** The character ids of one token: normalised, then split by code point. */
  charIds(token: string): Int32Array {
    const chars = Array.from(this.normalize(token));
    const out = new Int32Array(chars.length);
    for (let i = 0; i < chars.length; i++) out[i] = this.ids.get(chars[i]) ?? UNK_ID;
    return out;
  }

  /** The JSON form (options and all entries in id order), for the model file. */
  toJSON(): VocabularyJson {
    return { kind: this.kind, minCount: this.minCount, lowercase: this.lowercase, normalizeDigits: this.normalizeDigits, tokens: this.entries.slice() };
  }

  /**
   * Rebuilds a vocabulary from {@link Vocabulary.toJSON}'s output, keeping its ids.
   * @throws Error when the object is malformed, the reserved entries are not first, or an entry repeats.
   */
  static fromJSON(json: unknown): Vocabulary {
    const v = json as Partial<VocabularyJson> | null;
    if (typeof v !== 'object' || v === null || !Array.isArray(v.tokens) || v.tokens.some((t) => typeof t !== 'string')) {
      throw new Error('Vocabulary.fromJSON: expected { kind, minCount, lowercase, normalizeDigits, tokens: string[] }');
    }
    if (v.tokens[0] !== PAD_TOKEN || v.tokens[1] !== UNK_TOKEN) throw new Error(`Vocabulary.fromJSON: tokens must start with "${PAD_TOKEN}", "${UNK_TOKEN}"`);
    const o = Vocabulary.resolve({ kind: v.kind, minCount: v.minCount, lowercase: v.lowercase === true, normalizeDigits: v.normalizeDigits === true });
    const entries = v.tokens.slice(2);
    const seen = new Set<string>();
    for (const t of entries) {
      if (seen.has(t) || t === PAD_TOKEN || t === UNK_TOKEN) throw new Error(`Vocabulary.fromJSON: entry "${t}" is repeated`);
      seen.add(t);
    }
    return new Vocabulary(o, entries);
  }
}

/** A word vocabulary counted over the sentences' tokens. */
export function wordVocabularyFrom(sentences: Iterable<Sentence>, options: Omit<VocabularyOptions, 'kind'> = {}): Vocabulary {
  return Vocabulary.fromTokens(tokensOf(sentences), { ...options, kind: 'word' });
}

/** A character vocabulary counted over the code points of the sentences' (normalised) tokens. */
export function charVocabularyFrom(sentences: Iterable<Sentence>, options: Omit<VocabularyOptions, 'kind'> = {}): Vocabulary {
  return Vocabulary.fromTokens(tokensOf(sentences), { ...options, kind: 'char' });
}

function* tokensOf(sentences: Iterable<Sentence>): Iterable<string> {
  for (const s of sentences) yield* s.tokens;
}
