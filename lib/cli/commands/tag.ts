/**
 * `ladtl tag`: tag text with a model. Input is one tokenised sentence per line (tokens separated by
 * white space; for a character-level model such as the Chinese ones, each line is split into
 * characters), or a CoNLL file (`--input-format conll`, first column = token, other columns
 * optional). Output is CoNLL (token TAB tag) or JSON lines holding exactly what the embedding API's
 * `NerTagger.tag` returns (tokens with offsets, tags, entities with text, character offsets, type
 * and confidence), plus the input line. `--nbest K` adds the K most probable labellings with their
 * probabilities: in JSON as `nbest`, in CoNLL as K tag columns under a `# nbest p1 … pK` line (the
 * layout NCRF++ uses).
 *
 * The input is streamed: read a chunk at a time and tagged `CHUNK` sentences at a time, so memory
 * does not grow with it; a line over `MAX_LINE_CHARS` (or a CoNLL sentence over
 * `MAX_SENTENCE_TOKENS`) is refused with its line.
 */
import { readModelBytes } from '../../io/nodeFiles.ts';
import { decodeTagger } from '../../io/index.ts';
import { CorpusError, isBlankLine, longTokenCount, withoutByteOrderMark } from '../../data/index.ts';
import { readLines } from '../../data/nodeLineStream.ts';
import { streamCorpusFile } from '../../data/nodeFiles.ts';
import { longTokenNote } from '../corpus.ts';
import { NerTagger, tokenizeText, type TagResult, type TokenizeMode } from '../../embed/index.ts';
import type { OptionSpec } from '../args.ts';
import { defineCommand } from '../command.ts';

const SPECS: Record<string, OptionSpec> = {
  model: { type: 'string', required: true, value: 'MODEL', help: 'model file written by ladtl train' },
  input: { type: 'string', value: 'FILE', help: 'text to tag (default: standard input)' },
  'input-format': { type: 'string', value: 'lines|conll', help: 'one sentence per line, or CoNLL columns (the first is the token)', default: 'lines' },
  split: { type: 'string', value: 'auto|spaces|chars|words', help: 'how a line becomes tokens; auto: characters for a character-level model, else white space', default: 'auto' },
  format: { type: 'string', value: 'conll|json', help: 'output format', default: 'conll' },
  nbest: { type: 'string', value: 'K', help: 'also give the K most probable labellings with their probabilities' },
};

/** Sentences tagged per call (and at most about CHUNK_CHARS characters): output is written as it is produced, and memory does not grow with the input. */
const CHUNK = 256;
const CHUNK_CHARS = 1 << 18;
/** Most tokens in one sentence: its results are held until written (a 190,000-token line peaks at 563 MiB). */
const MAX_TAG_TOKENS = 1 << 18;

export const tagCommand = defineCommand('tag', SPECS, (o) => {
    const modelPath = o.string('model');
    const ner = new NerTagger(decodeTagger(readModelBytes(modelPath), modelPath));
    const inputPath = o.optionalString('input');
    const source = inputPath ?? '<stdin>';
    const inputFormat = o.choice('input-format', ['lines', 'conll'] as const);
    const split = o.choice('split', ['auto', 'spaces', 'chars', 'words'] as const);
    const json = o.choice('format', ['conll', 'json'] as const) === 'json';
    const nbest = o.has('nbest') ? o.integer('nbest', 1) : undefined;
    const tokenize: TokenizeMode = split === 'auto' ? (ner.tokenizeMode === 'chars' ? 'chars' : 'spaces') : split;
    // Sentences as (input line, text or tokens); blank lines are not sentences.
    const sentences = inputFormat === 'conll'
      // Only the tokens are used: a file may have the token column alone.
      ? mapIterable(streamCorpusFile(inputPath ?? 0, { file: source, tagColumn: null }), (s) => ({ line: s.line, input: s.tokens as string | string[] }))
      : textLines(inputPath ?? 0, source);
    let long = 0, chunkChars = 0;
    let chunk: { line: number; input: string | string[] }[] = [];
    const flush = (): void => {
      const results = ner.tagMany(chunk.map((s) => s.input), { tokenize, ...(nbest !== undefined ? { nbest } : {}) });
      if (ner.model.vocab.chars) long += longTokenCount(results.map((r) => r.tokens.map((t) => t.text)));
      const out: string[] = [];
      results.forEach((r, i) => out.push(json ? JSON.stringify({ line: chunk[i].line, ...r }) : conllBlock(r)));
      process.stdout.write(out.join('\n') + '\n');
      chunk = [];
      chunkChars = 0;
    };
    for (const s of sentences) {
      // A sentence's tokens are held with their results until written (about 3 KB each): cap them.
      const tokens = typeof s.input === 'string' ? (s.input.length > MAX_TAG_TOKENS ? tokenizeText(s.input, tokenize).length : 0) : s.input.length;
      if (tokens > MAX_TAG_TOKENS) throw new CorpusError(source, s.line, `sentence of ${tokens} tokens: over the limit of ${MAX_TAG_TOKENS} tokens per sentence for tag (split it)`);
      chunk.push(s);
      chunkChars += typeof s.input === 'string' ? s.input.length : s.input.reduce((a, t) => a + t.length + 1, 0);
      if (chunk.length >= CHUNK || chunkChars >= CHUNK_CHARS) flush();
    }
    if (chunk.length > 0) flush();
    const note = longTokenNote(source, long);
    if (note) console.error(note);
    return 0;
});

/** The non-blank lines of the input, numbered; a byte order mark is one only at the very start (dropped). */
function* textLines(source: string | 0, file: string): Generator<{ line: number; input: string }> {
  for (const { line, text } of readLines(source, file)) {
    const input = (line === 1 ? withoutByteOrderMark(text) : text).replace(/\r$/, '');
    if (!isBlankLine(input)) yield { line, input };
  }
}

function* mapIterable<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}

/** One sentence as CoNLL: token TAB tag (TAB the other n-best tags), then a blank line. */
function conllBlock(r: TagResult): string {
  const lines: string[] = [];
  if (r.nbest) lines.push(`# nbest ${r.nbest.map((p) => p.probability.toPrecision(6)).join(' ')}`);
  r.tokens.forEach((t, j) => lines.push([t.text, ...(r.nbest ? r.nbest.map((p) => p.tags[j]) : [r.tags[j]])].join('\t')));
  return lines.join('\n') + '\n';
}
