/**
 * How raw text becomes tokens for tagging, with each token's character offsets in the text (UTF-16
 * code-unit offsets, so `text.slice(start, end)` is the token).
 *
 * - `chars`: every code point that is not white space is a token. This is how the character-level
 *   models (the Chinese corpora) were trained.
 * - `words`: a token is a maximal run of letters, combining marks and digits (Unicode \p{L}, \p{M},
 *   \p{N}), optionally joined by a single inner apostrophe, hyphen, period or comma followed by more
 *   of them ("don't", "IL-2", "3.5", "1,000"); every other visible character (punctuation, symbols)
 *   is a token of its own; white space separates tokens and is never part of one. This matches the
 *   tokenisation of the English biomedical corpora closely enough for tagging ("( 2 )" and "p53" come
 *   out as they are in the corpora), but it is a rule, not a trained tokeniser.
 * - `spaces`: text that is already tokenised: tokens are the runs of non-white-space characters
 *   (`ladtl tag`'s input lines).
 */
export type TokenizeMode = 'chars' | 'words' | 'spaces';

export interface TextToken {
  text: string;
  /** Offset of the first code unit in the text. */
  start: number;
  /** Offset just past the last code unit. */
  end: number;
}

// White space is Unicode White_Space, as in the corpus parser (lib/data/conll.ts), not JavaScript's
// \s, which also counts U+FEFF: a U+FEFF inside the text is a character, kept, never a separator.
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’\-.,][\p{L}\p{M}\p{N}]+)*|\P{White_Space}/gu;
const CHAR = /\P{White_Space}/gu;
const SPACED = /\P{White_Space}+/gu;

/** Splits `text` into tokens by `mode` (see the file comment). */
export function tokenizeText(text: string, mode: TokenizeMode): TextToken[] {
  const re = mode === 'chars' ? CHAR : mode === 'spaces' ? SPACED : WORD;
  const out: TextToken[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}
