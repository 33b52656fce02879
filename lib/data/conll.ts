/**
 * CoNLL-style column files: one token per line, sentences separated by blank lines.
 *
 * The shared corpora (`../shared/data/**.tsv`) are normalised, but user-supplied files and the
 * CoNLL-2003 originals are not, so the parser accepts the known variations and rejects everything
 * else with a {@link CorpusError} `file:line: problem`. Nothing is skipped silently.
 *
 * Accepted variations:
 * - a UTF-8 byte order mark (U+FEFF) as the very first character of the text (dropped);
 * - LF or CRLF line ends (a CR anywhere else is an error: lone-CR line ends are not supported,
 *   and a CR inside a token is almost certainly damage);
 * - `-DOCSTART-` lines anywhere (document separators; they also end a sentence);
 * - blank lines made of whitespace only (WNUT 2017 uses a lone TAB), several in a row, at the start;
 * - no final blank line, no final newline;
 * - TAB- or space-separated columns; a TAB file is never split on spaces.
 *
 * Whitespace means the Unicode `White_Space` property (`\p{White_Space}`), which is what Python's
 * `str.isspace` uses, and NOT JavaScript's `\s`/`trim()`: those also count U+FEFF as whitespace.
 * So a U+FEFF inside a line (e.g. left over from concatenating files that each had a BOM) and a
 * U+200B ZERO WIDTH SPACE (not whitespace in any definition) are kept as ordinary characters of the
 * token: they are never trimmed away, so the text is exactly what the file says. A line that holds
 * only a U+FEFF is therefore not blank, and is reported as a bad line.
 *
 * Tokens and tags may not contain whitespace (the README's contract). A token such as `New York`
 * in a TAB file is an error rather than one token with a space, because evaluation files
 * (conlleval) are space-separated and would silently split it later.
 */
import { CorpusError } from './corpusError.ts';
import { withoutByteOrderMark } from './byteOrderMark.ts';
import { checkTag, findTagProblem, isTagScheme, type TagScheme } from './tagScheme.ts';

/** One sentence: parallel tokens and tags, and where it starts in its file. */
export interface Sentence {
  tokens: string[];
  tags: string[];
  /**
   * 1-based line of the first token. Tokens of a sentence sit on consecutive lines, so token `i`
   * is on line `line + i` (used to point errors found later, e.g. by a label map, at the file).
   */
  line: number;
}

/** Options of {@link parseConll}. */
export interface ConllOptions {
  /** The file name, used only in error messages. */
  file: string;
  /**
   * 0-based column of the tag. Default: the last column. `null`: the file has no tags (text to tag,
   * one token per line, other columns ignored); every tag is returned as `O`.
   */
  tagColumn?: number | null;
  /** 0-based column of the token. Default 0. */
  tokenColumn?: number;
  /**
   * Column separator. `'tab'`: exactly one TAB between columns. `'space'`: runs of spaces
   * (U+0020), leading and trailing spaces ignored. `'auto'` (default): `'tab'` when any non-blank
   * line of the file contains a TAB, else `'space'`. The choice is made per file, not per line, so
   * that a TAB file is never split on spaces.
   */
  separator?: 'tab' | 'space' | 'auto';
  /** The file's tag scheme (it can't be inferred from the tags). Default `'BIO'`. Tags are returned unconverted. */
  scheme?: TagScheme;
  /** What to do with `-DOCSTART-` lines: `'skip'` (default; they end the sentence) or `'error'`. */
  docstart?: 'skip' | 'error';
}

const BLANK = /^\p{White_Space}*$/u;
const WHITESPACE = /\p{White_Space}/u;
const DOCSTART = /^-DOCSTART-(?:[ \t]|$)/;
const SPACES = / +/;

/** `U+0020 (SPACE)`-style name of a character, for messages about invisible characters. */
function describeChar(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  const names: Record<number, string> = { 0x09: 'TAB', 0x20: 'SPACE', 0xa0: 'NO-BREAK SPACE', 0x3000: 'IDEOGRAPHIC SPACE', 0x0d: 'CARRIAGE RETURN' };
  return names[cp] !== undefined ? `U+${hex} (${names[cp]})` : `U+${hex}`;
}

function checkColumnOption(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
    throw new RangeError(`parseConll: ${name} must be a non-negative integer (0-based), got ${value}`);
  }
}

/**
 * Parses a CoNLL-style file into sentences. See the module comment for what is accepted.
 *
 * @param text the whole file, already decoded (see `decodeUtf8`).
 * @throws CorpusError `file:line: problem` for the first malformed line: a wrong number of columns
 *   (all token lines must have as many as the first), a token or tag column out of range, an empty
 *   column, whitespace in a token or tag, a stray CR, a tag that is not valid in the scheme, an
 *   invalid tag sequence (e.g. `I-X` that starts an entity in strict BIO), or a `-DOCSTART-` line
 *   when `docstart: 'error'`.
 * @throws RangeError for invalid options.
 */
export function parseConll(text: string, options: ConllOptions): Sentence[] {
  checkConllOptions(options);
  // A BOM is only a BOM at the very start; anywhere else U+FEFF is content (see the module comment).
  text = withoutByteOrderMark(text);
  const lines = text.split('\n');
  const parser = new ConllLineParser(options, resolveSeparator(options.separator, lines.some(isTabLine)));
  const sentences: Sentence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const s = parser.push(lines[i], i + 1);
    if (s) sentences.push(s);
  }
  const last = parser.end();
  if (last) sentences.push(last);
  return sentences;
}

/** Whether a line is blank: white space only (Unicode White_Space, see the module comment). */
export function isBlankLine(line: string): boolean {
  return BLANK.test(line);
}

/** Whether a line is a `-DOCSTART-` document separator. */
export function isDocstartLine(line: string): boolean {
  return DOCSTART.test(line);
}

/** Whether a line counts for `separator: 'auto'`: it has a TAB and is not blank. */
export function isTabLine(line: string): boolean {
  return line.includes('\t') && !BLANK.test(line);
}

/** The separator of a file: `'auto'` (or none) is `'tab'` when any of its lines is a TAB line. */
export function resolveSeparator(option: ConllOptions['separator'], anyTabLine: boolean): 'tab' | 'space' {
  return option === 'tab' || option === 'space' ? option : anyTabLine ? 'tab' : 'space';
}

/** Throws RangeError for invalid parser options. */
export function checkConllOptions(options: ConllOptions): void {
  const scheme = options.scheme ?? 'BIO', docstart = options.docstart ?? 'skip', separator = options.separator ?? 'auto';
  checkColumnOption('tagColumn', options.tagColumn ?? undefined);
  checkColumnOption('tokenColumn', options.tokenColumn);
  if (!isTagScheme(scheme)) throw new RangeError(`parseConll: unknown scheme ${String(scheme)} (use parseTagScheme to read a name)`);
  if (separator !== 'tab' && separator !== 'space' && separator !== 'auto') {
    throw new RangeError(`parseConll: separator must be 'tab', 'space' or 'auto', got ${String(separator)}`);
  }
  if (docstart !== 'skip' && docstart !== 'error') throw new RangeError(`parseConll: docstart must be 'skip' or 'error', got ${String(docstart)}`);
  if (options.tagColumn !== undefined && options.tagColumn !== null && options.tagColumn === (options.tokenColumn ?? 0)) {
    throw new RangeError(`parseConll: tagColumn and tokenColumn are both ${options.tokenColumn ?? 0}`);
  }
}

/**
 * The parser of {@link parseConll}, one line at a time, for input that does not fit in memory
 * (`readConllFile` in nodeFiles.ts streams a file through it). The separator is decided by the
 * caller beforehand (`resolveSeparator`), since `'auto'` depends on the whole file; a leading BOM
 * is the caller's to drop. Errors are those of `parseConll`, at the same lines.
 */
export class ConllLineParser {
  private readonly file: string;
  private readonly scheme: TagScheme;
  private readonly docstart: 'skip' | 'error';
  private readonly tokenColumn: number;
  private readonly tagless: boolean;
  private tokens: string[] = [];
  private chars = 0;
  private tags: string[] = [];
  private start = 0;
  /** Columns of the first token line (all must match), and its line. */
  private columns = -1;
  private columnsLine = 0;

  constructor(private readonly options: ConllOptions, private readonly separator: 'tab' | 'space') {
    checkConllOptions(options);
    this.file = options.file;
    this.scheme = options.scheme ?? 'BIO';
    this.docstart = options.docstart ?? 'skip';
    this.tokenColumn = options.tokenColumn ?? 0;
    this.tagless = options.tagColumn === null;
  }

  /** Line `lineNo` (1-based) without its LF (a CRLF's CR is allowed): the sentence it ends, if any. */
  push(raw: string, lineNo: number): Sentence | null {
    const { file, separator, tokenColumn, tagless, scheme } = this;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const cr = line.indexOf('\r');
    if (cr >= 0) throw new CorpusError(file, lineNo, `stray carriage return (U+000D) at column ${cr + 1}; only LF and CRLF line ends are supported`);
    if (BLANK.test(line)) return this.flush();
    if (DOCSTART.test(line)) {
      if (this.docstart === 'error') throw new CorpusError(file, lineNo, `-DOCSTART- line (a document separator) is not allowed here (docstart: 'error')`);
      return this.flush();
    }
    const fields = separator === 'tab' ? line.split('\t') : line.replace(/^ +| +$/g, '').split(SPACES);
    if (this.columns < 0) {
      this.columns = fields.length;
      this.columnsLine = lineNo;
    } else if (fields.length !== this.columns) {
      const hint = separator === 'tab' ? ' (TAB-separated)' : ' (space-separated)';
      throw new CorpusError(file, lineNo, `expected ${this.columns} columns${hint} as on line ${this.columnsLine}, found ${fields.length}`);
    }
    // Without tags the tag column is -1: never out of range, never the token, never empty.
    const tagColumn = tagless ? -1 : this.options.tagColumn ?? fields.length - 1;
    for (const [name, column] of [['token', tokenColumn], ['tag', tagColumn]] as const) {
      if (column >= fields.length) {
        throw new CorpusError(file, lineNo, `${name} column ${column} (0-based) is out of range: the line has ${fields.length} column${fields.length === 1 ? '' : 's'}`);
      }
    }
    if (tagColumn === tokenColumn) {
      const hint = separator === 'space' && line.includes('\t') ? ' (the line has a TAB, but the file is read as space-separated)' : '';
      throw new CorpusError(file, lineNo, `the token and the tag would both be column ${tokenColumn}: a line needs at least 2 columns${hint}`);
    }
    for (let c = 0; c < fields.length; c++) {
      if (fields[c] === '') {
        const what = c === tokenColumn ? 'empty token' : c === tagColumn ? 'empty tag' : 'empty column';
        throw new CorpusError(file, lineNo, `${what} (column ${c + 1} of ${fields.length})`);
      }
    }
    const token = fields[tokenColumn];
    const tag = tagless ? 'O' : fields[tagColumn];
    for (const [name, value] of [['token', token], ['tag', tag]] as const) {
      const ws = WHITESPACE.exec(value);
      if (ws !== null) {
        throw new CorpusError(file, lineNo, `${name} "${value}" contains whitespace ${describeChar(ws[0])}; tokens and tags can't contain whitespace (this file is read as ${separator}-separated)`);
      }
    }
    const checked = checkTag(tag, scheme);
    if (typeof checked === 'string') throw new CorpusError(file, lineNo, checked);
    if (this.tokens.length === 0) this.start = lineNo;
    this.tokens.push(token);
    this.tags.push(tag);
    this.chars += token.length + tag.length;
    return null;
  }

  /** Tokens of the sentence being read (not yet ended by a blank line). */
  get pendingTokens(): number {
    return this.tokens.length;
  }

  /** UTF-16 code units of the tokens and tags of the sentence being read (what holding it costs). */
  get pendingChars(): number {
    return this.chars;
  }

  /** End of input: the last sentence, if it was not ended by a blank line. */
  end(): Sentence | null {
    return this.flush();
  }

  private flush(): Sentence | null {
    if (this.tokens.length === 0) return null;
    const found = findTagProblem(this.tags, this.scheme);
    if (found !== null) throw new CorpusError(this.file, this.start + found.index, `${found.problem} (scheme ${this.scheme})`);
    const sentence = { tokens: this.tokens, tags: this.tags, line: this.start };
    this.tokens = [];
    this.tags = [];
    this.chars = 0;
    return sentence;
  }
}
