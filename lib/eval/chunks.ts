/**
 * Chunk boundaries with the rules of CoNLL-2000 `conlleval.pl` (version 2004-01-26).
 *
 * A tag is split at its FIRST hyphen into a prefix and a type ("B-DRUG-NAME" → "B" + "DRUG-NAME",
 * "O" → "O" + "", "B-" → "B" + ""). Whether a chunk ends between two consecutive tokens, and whether
 * one starts at the second, depends only on the (prefix, type) of those two tokens:
 *
 * - end:   B→B, B→O, I→B, I→O, E→E, E→I, E→O; or the previous prefix is neither "O" nor "." and the
 *          type changes; or the previous prefix is "[" or "]" (bracket chunks have length 1).
 * - start: B→B, I→B, O→B, O→I, E→E, E→I, O→E; or the current prefix is neither "O" nor "." and the
 *          type changes; or the current prefix is "[" or "]".
 *
 * So an I-X after O, or after a token of another type, starts a chunk (IOB1 and sloppy BIO are
 * scored as conlleval scores them), and "B-X I-Y" is two chunks.
 *
 * `rules: 'conlleval'` (the default) is exactly the table above. The original script has no rule
 * for the S- prefix: S-X is only delimited by the type-change rules, so "S-X S-X", "B-X S-X",
 * "E-X S-X" and "E-X B-X" (same type) each MERGE into one chunk, as conlleval.pl itself scores them.
 * `rules: 'iobes'` adds the IOBES rules of the common conlleval extensions (the IOBES-patched
 * conlleval.pl variants and conlleval.py): E- and S- always end a chunk before B/I/E/S/O, and B- and
 * S- always start one. On input with no S- prefix and no E→B transition the two rule sets agree.
 *
 * Perl quirk kept: the type "0" is false in Perl, so conlleval turns "B-0" into prefix "B", type "".
 */

/** A tag split conlleval's way. */
export interface SplitTag {
  prefix: string;
  type: string;
}

/** A chunk: tokens `start` to `end`, both INCLUSIVE, indexes into the sentence. */
export interface ChunkSpan {
  type: string;
  start: number;
  end: number;
}

/** Which start/end rule table to use; see the module comment. */
export type ChunkRules = 'conlleval' | 'iobes';

export interface ChunkOptions {
  /** Default 'conlleval' (exact conlleval.pl). */
  rules?: ChunkRules;
}

/** The state before a sentence's first token and at a sentence boundary ("-X- O O" in conlleval). */
export const OUTSIDE: Readonly<SplitTag> = Object.freeze({ prefix: 'O', type: '' });

/** Splits a tag like conlleval: /^([^-]*)-(.*)$/, otherwise the whole tag is the prefix. */
export function splitTag(tag: string): SplitTag {
  const dash = tag.indexOf('-');
  if (dash < 0) return { prefix: tag, type: '' };
  const type = tag.slice(dash + 1);
  // `$type = $type ? $type : ""` in conlleval.pl: Perl treats "0" as false.
  return { prefix: tag.slice(0, dash), type: type === '0' ? '' : type };
}

const END_PAIRS = new Set(['B B', 'B O', 'I B', 'I O', 'E E', 'E I', 'E O']);
const START_PAIRS = new Set(['B B', 'I B', 'O B', 'O I', 'E E', 'E I', 'O E']);
const IOBES_END_PAIRS = new Set(['B S', 'I S', 'E S', 'E B', 'S E', 'S I', 'S O', 'S S', 'S B']);
const IOBES_START_PAIRS = new Set(['S B', 'E B', 'B S', 'I S', 'O S', 'S S', 'E S', 'S I', 'S E']);

function checkRules(rules: string): void {
  if (rules !== 'conlleval' && rules !== 'iobes') {
    throw new Error(`chunk rules must be 'conlleval' or 'iobes', got ${JSON.stringify(rules)}`);
  }
}

/** conlleval's endOfChunk: did a chunk end between `prev` and `cur`? */
export function endOfChunk(prev: SplitTag, cur: SplitTag, rules: ChunkRules = 'conlleval'): boolean {
  const pair = `${prev.prefix} ${cur.prefix}`;
  if (END_PAIRS.has(pair)) return true;
  if (rules === 'iobes' && IOBES_END_PAIRS.has(pair)) return true;
  if (prev.prefix !== 'O' && prev.prefix !== '.' && prev.type !== cur.type) return true;
  return prev.prefix === ']' || prev.prefix === '[';
}

/** conlleval's startOfChunk: does a chunk start at `cur` (given the previous token `prev`)? */
export function startOfChunk(prev: SplitTag, cur: SplitTag, rules: ChunkRules = 'conlleval'): boolean {
  const pair = `${prev.prefix} ${cur.prefix}`;
  if (START_PAIRS.has(pair)) return true;
  if (rules === 'iobes' && IOBES_START_PAIRS.has(pair)) return true;
  if (cur.prefix !== 'O' && cur.prefix !== '.' && prev.type !== cur.type) return true;
  return cur.prefix === '[' || cur.prefix === ']';
}

/**
 * The chunks of one sentence. A chunk opens where `startOfChunk` fires and closes before the first
 * later token where `endOfChunk` fires (or where another chunk starts without the end rule firing,
 * which conlleval leaves undefined), or at the sentence end. conlleval treats the sentence break as
 * an "O" token, so with B/I/E/S-typed tags every chunk closes at the sentence end; a chunk of
 * typeless odd tags that the break does not end under the rules is still closed there.
 */
export function chunkSpans(tags: readonly string[], options: ChunkOptions = {}): ChunkSpan[] {
  const rules = options.rules ?? 'conlleval';
  checkRules(rules);
  const spans: ChunkSpan[] = [];
  let open: { type: string; start: number } | null = null;
  let prev: SplitTag = OUTSIDE;
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i];
    if (typeof tag !== 'string') throw new TypeError(`chunkSpans: tag ${i} is not a string`);
    const cur = splitTag(tag);
    const starts = startOfChunk(prev, cur, rules);
    if (open && (starts || endOfChunk(prev, cur, rules))) {
      spans.push({ type: open.type, start: open.start, end: i - 1 });
      open = null;
    }
    if (starts) open = { type: cur.type, start: i };
    prev = cur;
  }
  if (open) spans.push({ type: open.type, start: open.start, end: tags.length - 1 });
  return spans;
}
