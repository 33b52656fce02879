/**
 * Node-only: the lines of a UTF-8 file (or standard input), read a chunk at a time, so that `tag`
 * and `eval` hold a bounded amount of their input whatever its size. Not exported from index.ts
 * (the browser build never pulls in `node:fs`).
 *
 * Same rules as reading the whole file (`decodeUtf8`): invalid UTF-8 and NUL bytes are errors
 * naming the line. A line longer than `maxLineChars` is refused with its line and the limit, as a
 * single line would otherwise have to be held (and tagged) whole.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { CorpusError } from './corpusError.ts';
import { decodeUtf8 } from './utf8.ts';

/** Longest line `readLines` accepts by default: 1 MiB of characters (`tag` holds ~0.5 GiB then). */
export const MAX_LINE_CHARS = 1 << 20;

/** Bytes read per chunk. */
const CHUNK_BYTES = 1 << 20;

export interface NumberedLine {
  /** 1-based line number. */
  line: number;
  /** The line without its LF (a CR before it is kept, as in `text.split('\n')`). */
  text: string;
}

/**
 * The lines of `source` (a path, or 0 for standard input), as `text.split('\n')` would give them
 * for the whole decoded file (a final empty line included); a leading BOM is kept on line 1.
 * @param file the name used in errors
 * @throws CorpusError for unreadable files, invalid UTF-8, NUL bytes and lines over the limit
 */
export function* readLines(source: string | 0, file: string, maxLineChars = MAX_LINE_CHARS): Generator<NumberedLine> {
  let fd: number;
  try {
    fd = source === 0 ? 0 : openSync(source, 'r');
  } catch (e) {
    throw new CorpusError(file, null, `cannot read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const buffer = new Uint8Array(CHUNK_BYTES + 3);
  let carried = 0; // bytes of an incomplete UTF-8 sequence kept from the previous chunk
  let pending = '';
  let line = 1;
  let consumed = 0; // file offset of buffer[0]
  try {
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buffer, carried, CHUNK_BYTES, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          // A non-blocking stdin with nothing yet: wait 10 ms rather than spin.
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
          continue;
        }
        if (code === 'EOF') n = 0;
        else throw new CorpusError(file, null, `cannot read: ${code === 'EISDIR' ? 'is a directory, not a file' : (e as Error).message}`);
      }
      const end = carried + n;
      const cut = n === 0 ? end : completeUtf8Prefix(buffer, end);
      // Errors in this chunk are numbered from the line it starts in.
      const pieces = decodeUtf8(buffer.subarray(0, cut), file, { line, byte: consumed }).split('\n');
      buffer.copyWithin(0, cut, end);
      consumed += cut;
      carried = end - cut;
      pieces[0] = pending + pieces[0];
      for (let i = 0; i < pieces.length; i++) {
        if (pieces[i].length > maxLineChars) throw new CorpusError(file, line + i, `line longer than ${maxLineChars} characters (the limit for one line; split the text into lines)`);
      }
      for (let i = 0; i < pieces.length - 1; i++) yield { line: line++, text: pieces[i] };
      pending = pieces[pieces.length - 1];
      if (n === 0) break;
    }
    yield { line, text: pending };
  } finally {
    if (source !== 0) closeSync(fd);
  }
}

/** Length of the longest prefix of bytes[0..end) that does not end inside a UTF-8 sequence. */
function completeUtf8Prefix(bytes: Uint8Array, end: number): number {
  for (let k = 1; k <= 3 && k <= end; k++) {
    const b = bytes[end - k];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > k ? end - k : end;
  }
  return end; // invalid or complete: decodeUtf8 says which
}
