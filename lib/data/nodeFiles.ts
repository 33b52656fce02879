/**
 * Node-only file helpers for the data layer: read a file's bytes and hand them to the pure parsers.
 * This is the only file of `lib/data` that touches `node:fs`; it is not exported from `index.ts`,
 * so the browser build never pulls it in. Error messages name the path as given.
 */
import { readFileSync } from 'node:fs';
import { parseConll, type ConllOptions, type Sentence } from './conll.ts';
import { parsePairs, type PairsFile } from './pairs.ts';
import { parseOrderFile } from './subsets.ts';
import { decodeUtf8 } from './utf8.ts';
import { CorpusError } from './corpusError.ts';

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

/** Reads and validates a pairs file (see `parsePairs`). */
export function readPairsFile(path: string): PairsFile {
  return parsePairs(readTextFile(path), path);
}

/** Reads a `train.order.txt` for a corpus of `n` train sentences (see `parseOrderFile`). */
export function readOrderFile(path: string, n: number): number[] {
  return parseOrderFile(readTextFile(path), path, n);
}
