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

/** Reads a file as strict UTF-8 (invalid bytes are a `file:line` error, not U+FFFD). */
export function readTextFile(path: string): string {
  return decodeUtf8(readFileSync(path), path);
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
