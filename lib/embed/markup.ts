/**
 * Labelled sentences as a person types them on a page: entities in brackets with their type after a
 * bar, everything else plain text, e.g.
 *
 *   The patient was given [warfarin|Drug] for [atrial fibrillation|Disease] .
 *
 * Text is tokenised with the model's rule (tokenize.ts); the tokens inside a bracket get B-/I- tags
 * of its type, all others O. Errors name the line and the column: an unclosed bracket, a bracket
 * without a type, an empty entity, an entity that splits a token.
 */
import type { Sentence } from '../data/index.ts';
import { tokenizeText, type TokenizeMode } from './tokenize.ts';

const ENTITY = /\[([^\[\]|]*)\|([^\[\]|]*)\]/g;

/** Parses one marked-up line (1-based `line` for messages). */
export function parseMarkedSentence(text: string, mode: TokenizeMode, line = 1): Sentence {
  const tokens: string[] = [], tags: string[] = [];
  const where = (col: number) => `line ${line}, column ${col + 1}`;
  let at = 0;
  const plain = (segment: string, offset: number): void => {
    const stray = segment.search(/[\[\]]/);
    if (stray >= 0) throw new Error(`${where(offset + stray)}: '${segment[stray]}' outside an entity [text|Type]`);
    for (const t of tokenizeText(segment, mode)) { tokens.push(t.text); tags.push('O'); }
  };
  ENTITY.lastIndex = 0;
  for (let m = ENTITY.exec(text); m !== null; m = ENTITY.exec(text)) {
    plain(text.slice(at, m.index), at);
    const type = m[2].trim();
    if (!/^[^\s]+$/u.test(type)) throw new Error(`${where(m.index)}: entity ${JSON.stringify(m[0])} needs a type without spaces after '|'`);
    const inner = tokenizeText(m[1], mode);
    if (inner.length === 0) throw new Error(`${where(m.index)}: entity ${JSON.stringify(m[0])} has no text`);
    const before = text[m.index - 1], after = text[m.index + m[0].length];
    if ((before && /[\p{L}\p{N}]/u.test(before) && mode === 'words') || (after && /[\p{L}\p{N}]/u.test(after) && mode === 'words')) {
      throw new Error(`${where(m.index)}: entity ${JSON.stringify(m[0])} splits a word; put spaces around the brackets`);
    }
    inner.forEach((t, i) => { tokens.push(t.text); tags.push(`${i === 0 ? 'B' : 'I'}-${type}`); });
    at = m.index + m[0].length;
  }
  plain(text.slice(at), at);
  if (tokens.length === 0) throw new Error(`line ${line}: no tokens`);
  return { tokens, tags, line };
}

/** Parses every non-blank line of `text`. */
export function parseMarkedSentences(text: string, mode: TokenizeMode): Sentence[] {
  const out: Sentence[] = [];
  text.split('\n').forEach((raw, i) => { if (raw.trim() !== '') out.push(parseMarkedSentence(raw.replace(/\r$/, ''), mode, i + 1)); });
  return out;
}
