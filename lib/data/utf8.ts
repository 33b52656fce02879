/**
 * Strict UTF-8 decoding of corpus bytes (browser and Node: only `TextDecoder`).
 *
 * A lenient decoder turns invalid bytes into U+FFFD without a word, which would silently change
 * tokens (and make them unknown words). Here invalid UTF-8 is an error that names the line.
 * A leading byte order mark is kept, so that the parser sees the text exactly as stored.
 */
import { CorpusError } from './corpusError.ts';

/** Byte offset of the first invalid UTF-8 sequence, or -1 when the bytes are valid. */
export function findInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) { i++; continue; }
    // Lead byte -> number of continuation bytes and the allowed range of the first one
    // (excludes overlong forms, surrogates and code points above U+10FFFF).
    let need: number, lo = 0x80, hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b === 0xe0) { need = 2; lo = 0xa0; }
    else if (b === 0xed) { need = 2; hi = 0x9f; }
    else if (b >= 0xe1 && b <= 0xef) need = 2;
    else if (b === 0xf0) { need = 3; lo = 0x90; }
    else if (b === 0xf4) { need = 3; hi = 0x8f; }
    else if (b >= 0xf1 && b <= 0xf3) need = 3;
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}

/**
 * Decodes UTF-8 bytes strictly. `start`: the line and byte offset in the file where `bytes` begin,
 * for the errors (a whole file by default; a chunk of one when streaming).
 * @throws CorpusError `file:line: invalid UTF-8 ...` at the first invalid byte sequence, and
 *   `file:line: NUL byte ...` at the first zero byte.
 */
export function decodeUtf8(bytes: Uint8Array, file: string, start = { line: 1, byte: 0 }): string {
  // A NUL is valid UTF-8 but never text: binary data, or a UTF-16 file (half its bytes are 0).
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new CorpusError(file, start.line - 1 + lineAt(bytes, nul), `NUL byte (U+0000) at byte offset ${start.byte + nul}: a text file has none (binary data, or UTF-16? the file must be UTF-8)`);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const at = findInvalidUtf8(bytes);
    const line = start.line - 1 + lineAt(bytes, Math.max(at, 0));
    const shown = Array.from(bytes.subarray(Math.max(at, 0), Math.max(at, 0) + 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new CorpusError(file, line, `invalid UTF-8 at byte offset ${start.byte + at} (bytes ${shown}); the file must be UTF-8`);
  }
}

/** 1-based line of byte offset `at`. */
function lineAt(bytes: Uint8Array, at: number): number {
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < at; i = bytes.indexOf(0x0a, i + 1)) line++;
  return line;
}
