/**
 * Node-only file helpers for the data layer: read a file's bytes and hand them to the pure parsers.
 * This is the only file of `lib/data` that touches `node:fs`; it is not exported from `index.ts`,
 * so the browser build never pulls it in. Error messages name the path as given.
 */
import { readFileSync, statSync } from 'node:fs';
import { ConllLineParser, checkConllOptions, isBlankLine, isDocstartLine, isTabLine, parseConll, resolveSeparator, type ConllOptions, type Sentence } from './conll.ts';
import { readLines, MAX_LINE_CHARS } from './nodeLineStream.ts';
import { parsePairs, type PairsFile } from './pairs.ts';
import { parseOrderFile } from './subsets.ts';
import { decodeUtf8 } from './utf8.ts';
import { CorpusError } from './corpusError.ts';
import { withoutByteOrderMark } from './byteOrderMark.ts';

/** What went wrong reading a file, in words, without Node's error-code prefix or a repeated path. */
function describeReadError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (e as Error).message;
}

/** Reads a file as strict UTF-8 (invalid bytes are a `file:line` error, not U+FFFD); read errors name the path. */
export function readTextFile(path: string): string {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new CorpusError(path, null, `cannot read: ${describeReadError(e)}`);
  }
  return decodeUtf8(bytes, path);
}

/**
 * Reads and parses a CoNLL-style corpus file (see `parseConll`).
 * @param options parser options; `file` defaults to `path`.
 */
export function readCorpusFile(path: string, options: Omit<ConllOptions, 'file'> & { file?: string } = {}): Sentence[] {
  return parseConll(readTextFile(path), { ...options, file: options.file ?? path });
}

/** Most tokens `streamCorpusFile` accepts in one sentence (a sentence is held whole). */
export const MAX_SENTENCE_TOKENS = 1 << 20;
/**
 * Most characters (UTF-16 units of its tokens and tags) `streamCorpusFile` accepts in one sentence:
 * with lines of up to 1 MiB, the token limit alone would let one sentence hold a terabyte.
 */
export const MAX_SENTENCE_CHARS = 1 << 24;

/**
 * The sentences of a CoNLL-style corpus one at a time, with `parseConll`'s rules and errors,
 * holding one sentence and one chunk of the file at a time (`tag` and `eval` on inputs of any
 * size). Lines over `MAX_LINE_CHARS` and sentences over `MAX_SENTENCE_TOKENS` tokens or
 * `MAX_SENTENCE_CHARS` characters are refused at their line. With `separator: 'auto'` a file is read twice: the first pass only looks for a TAB line
 * (`parseConll` decides over the whole file). Standard input (`source` 0), a pipe or any other
 * file that cannot be read twice is read once: there the first line that is neither blank nor
 * `-DOCSTART-` decides (lines before it are only blank or document separators, which need none).
 */
export function* streamCorpusFile(source: string | 0, options: ConllOptions): Generator<Sentence> {
  checkConllOptions(options);
  const { file } = options;
  let separator: 'tab' | 'space' | undefined;
  if (options.separator === 'tab' || options.separator === 'space') separator = options.separator;
  else if (source !== 0 && isRegularFile(source)) {
    separator = 'space';
    for (const { text } of readLines(source, file)) {
      if (isTabLine(text)) {
        separator = 'tab';
        break;
      }
    }
  }
  let parser = separator ? new ConllLineParser(options, separator) : null;
  for (const { line, text: raw } of readLines(source, file, MAX_LINE_CHARS)) {
    // A BOM is only a BOM at the very start (as in parseConll).
    const text = line === 1 ? withoutByteOrderMark(raw) : raw;
    // Read once (standard input, a pipe): the first line that is neither blank nor -DOCSTART- decides.
    parser ??= isBlankLine(text) || isDocstartLine(text) ? null : new ConllLineParser(options, resolveSeparator('auto', isTabLine(text)));
    if (!parser) continue;
    const sentence = parser.push(text, line);
    if (sentence) yield sentence;
    else if (parser.pendingTokens > MAX_SENTENCE_TOKENS) {
      throw new CorpusError(file, line, `sentence longer than ${MAX_SENTENCE_TOKENS} tokens (no blank line for that long; the limit for one sentence)`);
    } else if (parser.pendingChars > MAX_SENTENCE_CHARS) {
      throw new CorpusError(file, line, `sentence longer than ${MAX_SENTENCE_CHARS} characters (no blank line for that long; the limit for one sentence)`);
    }
  }
  const last = parser?.end() ?? null;
  if (last) yield last;
}

/** Whether `path` is a regular file (a pipe, FIFO or device can be read only once). */
function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false; // readLines names the problem
  }
}

/** Reads and validates a pairs file (see `parsePairs`). */
export function readPairsFile(path: string): PairsFile {
  return parsePairs(readTextFile(path), path);
}

/** Reads a `train.order.txt` for a corpus of `n` train sentences (see `parseOrderFile`). */
export function readOrderFile(path: string, n: number): number[] {
  return parseOrderFile(readTextFile(path), path, n);
}
