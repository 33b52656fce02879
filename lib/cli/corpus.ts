/** Corpus reading shared by the commands: options for column layout and scheme, errors with the path. */
import { readCorpusFile } from '../data/nodeFiles.ts';
import { type Sentence, type TagScheme, parseTagScheme, longTokenCount, MAX_TOKEN_CHARS } from '../data/index.ts';
import { withScheme } from '../train/index.ts';
import type { OptionSpec, ParsedOptions } from './args.ts';

export const CORPUS_OPTIONS: Record<string, OptionSpec> = {
  scheme: { type: 'string', value: 'S', help: 'tag scheme of the input files: BIO, IOB1 or BIOES', default: 'BIO' },
  'tag-column': { type: 'string', value: 'N', help: '0-based column of the tag, 1 or more (column 0 is the token; default: the last column)' },
  separator: { type: 'string', value: 'tab|space|auto', help: 'column separator', default: 'auto' },
};

export interface CorpusReadOptions {
  scheme: TagScheme;
  tagColumn?: number;
  separator: 'tab' | 'space' | 'auto';
}

export function corpusReadOptions(o: ParsedOptions): CorpusReadOptions {
  return {
    scheme: parseTagScheme(o.string('scheme')),
    // Column 0 holds the token, so a tag column is 1 or more.
    tagColumn: o.has('tag-column') ? o.integer('tag-column', 1) : undefined,
    separator: o.choice('separator', ['tab', 'space', 'auto'] as const),
  };
}

/** Reads a corpus file and re-spells its tags in the model's scheme. */
export function readCorpus(path: string, r: CorpusReadOptions, modelScheme: TagScheme): Sentence[] {
  const sentences = readCorpusFile(path, { scheme: r.scheme, tagColumn: r.tagColumn, separator: r.separator });
  return withScheme(sentences, r.scheme, modelScheme);
}

/** The stderr note for `n` tokens of `path` cut for the character encoder (batching.ts), or null. */
export function longTokenNote(path: string, n: number): string | null {
  return n > 0 ? `${path}: ${n} token${n === 1 ? ' is' : 's are'} longer than ${MAX_TOKEN_CHARS} characters; the character encoder sees the first ${MAX_TOKEN_CHARS} of each` : null;
}

/** Says once, on stderr, how many tokens of a file the character encoder sees only in part. */
export function noteLongTokens(path: string, sentences: readonly Sentence[], charEncoder: boolean): void {
  const note = charEncoder ? longTokenNote(path, longTokenCount(sentences.map((s) => s.tokens))) : null;
  if (note) console.error(note);
}
