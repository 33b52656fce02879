/**
 * The UTF-8 byte order mark: U+FEFF as the very first character of a text is a BOM and is dropped;
 * anywhere else it is content (a zero-width no-break space), kept and, inside a token, part of it.
 */
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
