/**
 * A conlleval-compatible evaluator: the CoNLL-2000 `conlleval.pl` script (version 2004-01-26) in
 * its default mode, as pure TypeScript (no fs, no process: it runs in a browser).
 *
 * What is reproduced:
 * - chunk starts and ends: `endOfChunk` / `startOfChunk` rules, see ./chunks.ts (including the
 *   "[", "]" and "." prefixes and the Perl quirk that type "0" reads as "");
 * - a chunk is correct only if the gold and guessed chunks start at the same token, have the same
 *   type, and both end at the same token. This is counted with conlleval's own `inCorrect` state
 *   machine (not by matching spans), so even odd tag sequences are counted as the script counts them;
 * - a sentence break is conlleval's "-X- O O" line: not a token, both columns "O";
 * - tokens: every token including O ones; a token is correct when its gold and guessed tags are equal
 *   after splitting into (prefix, type), i.e. equal as full tags (modulo the "0" quirk);
 * - precision = 100*correct/guessed (0 if none guessed), recall = 100*correct/gold (0 if no gold),
 *   FB1 = 2PR/(P+R) (0 if P+R = 0), the same per type;
 * - the report text byte for byte: printf `%6.2f` rounding (half-even on the exact double, unlike
 *   toFixed), `%17s` padding by UTF-8 bytes, types in Perl `sort` (byte) order, the accuracy line
 *   only when at least one token was processed, and Perl's de-duplication quirk that prints the
 *   empty type "" twice when both gold and guess have typeless chunks.
 *
 * Differences from conlleval.pl (all deliberate):
 * - input columns are separated by any run of spaces/tabs (conlleval: exactly one space, or `-d`);
 *   a trailing "\r" is dropped (conlleval would keep it in the guess tag);
 * - no `-r` (raw), `-o` (other outside tag) or `-l` (LaTeX) modes;
 * - `evaluateSentences` ends every sentence with a break, as a file that ends with a blank line;
 *   for a file whose last line is a token, conlleval counts an open correct chunk at end-of-file
 *   instead. The two only differ for tags whose chunks a break does not end (typeless odd tags);
 * - malformed input throws `ConllevalParseError` naming `file:line` instead of exiting;
 * - optional `rules: 'iobes'` and `docstart: 'boundary'` (both off by default).
 */
import { type ChunkRules, type SplitTag, OUTSIDE, endOfChunk, splitTag, startOfChunk } from './chunks.ts';
import { compareCodePoints, printfFixed, printfString } from './format.ts';

/** Counts and scores of one chunk type (percentages in 0..100, like conlleval). */
export interface TypeScores {
  /** Chunks of this type in the gold column ("found correct" in conlleval). */
  gold: number;
  /** Chunks of this type in the guess column ("found guessed"). */
  guessed: number;
  /** Guessed chunks of this type that match a gold chunk exactly. */
  correct: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface EvalResult {
  /** Tokens processed (sentence breaks are not tokens). */
  tokens: number;
  /** Tokens whose guessed tag equals the gold tag, O tokens included. */
  correctTokens: number;
  goldChunks: number;
  guessedChunks: number;
  correctChunks: number;
  /** 100*correctTokens/tokens; 0 when there are no tokens (conlleval prints no accuracy then). */
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  /** Every type seen in gold or guess, keys in Perl sort order. */
  byType: Record<string, TypeScores>;
}

export interface SentencePair {
  gold: readonly string[];
  guess: readonly string[];
}

export interface EvaluateOptions {
  /** Chunk rule table, default 'conlleval'; see ./chunks.ts. */
  rules?: ChunkRules;
}

/** precision, recall and FB1 exactly as conlleval computes them (same operation order). */
export function conllevalScores(correct: number, guessed: number, gold: number): { precision: number; recall: number; f1: number } {
  const precision = guessed > 0 ? (100 * correct) / guessed : 0;
  const recall = gold > 0 ? (100 * correct) / gold : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

function bump(m: Map<string, number>, key: string): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

/** conlleval's main loop, one line at a time. */
class ConllevalCounter {
  private lastGold: SplitTag = OUTSIDE;
  private lastGuess: SplitTag = OUTSIDE;
  private inCorrect = false;
  tokens = 0;
  correctTokens = 0;
  correctChunks = 0;
  goldChunks = 0;
  guessedChunks = 0;
  readonly correctByType = new Map<string, number>();
  readonly goldByType = new Map<string, number>();
  readonly guessedByType = new Map<string, number>();

  constructor(private readonly rules: ChunkRules) {}

  token(goldTag: string, guessTag: string): void {
    this.step(splitTag(goldTag), splitTag(guessTag), false);
  }

  /** A sentence break: the "-X- O O" line. */
  boundary(): void {
    this.step(OUTSIDE, OUTSIDE, true);
  }

  private step(gold: SplitTag, guess: SplitTag, isBoundary: boolean): void {
    const { lastGold, lastGuess, rules } = this;
    const goldEnds = endOfChunk(lastGold, gold, rules);
    const guessEnds = endOfChunk(lastGuess, guess, rules);
    const goldStarts = startOfChunk(lastGold, gold, rules);
    const guessStarts = startOfChunk(lastGuess, guess, rules);
    if (this.inCorrect) {
      if (goldEnds && guessEnds && lastGuess.type === lastGold.type) {
        this.inCorrect = false;
        this.correctChunks++;
        bump(this.correctByType, lastGold.type);
      } else if (goldEnds !== guessEnds || guess.type !== gold.type) {
        this.inCorrect = false;
      }
    }
    if (goldStarts && guessStarts && guess.type === gold.type) this.inCorrect = true;
    if (goldStarts) {
      this.goldChunks++;
      bump(this.goldByType, gold.type);
    }
    if (guessStarts) {
      this.guessedChunks++;
      bump(this.guessedByType, guess.type);
    }
    if (!isBoundary) {
      if (gold.prefix === guess.prefix && gold.type === guess.type) this.correctTokens++;
      this.tokens++;
    }
    this.lastGold = gold;
    this.lastGuess = guess;
  }

  /** End of input: a chunk still being matched counts as correct. */
  finish(): EvalResult {
    if (this.inCorrect) {
      this.inCorrect = false;
      this.correctChunks++;
      bump(this.correctByType, this.lastGold.type);
    }
    const types = [...new Set([...this.goldByType.keys(), ...this.guessedByType.keys()])].sort(compareCodePoints);
    const byType: Record<string, TypeScores> = {};
    for (const t of types) {
      const gold = this.goldByType.get(t) ?? 0;
      const guessed = this.guessedByType.get(t) ?? 0;
      const correct = this.correctByType.get(t) ?? 0;
      // defineProperty so that a type named "__proto__" is an ordinary key.
      Object.defineProperty(byType, t, {
        value: { gold, guessed, correct, ...conllevalScores(correct, guessed, gold) },
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return {
      tokens: this.tokens,
      correctTokens: this.correctTokens,
      goldChunks: this.goldChunks,
      guessedChunks: this.guessedChunks,
      correctChunks: this.correctChunks,
      accuracy: this.tokens > 0 ? (100 * this.correctTokens) / this.tokens : 0,
      ...conllevalScores(this.correctChunks, this.guessedChunks, this.goldChunks),
      byType,
    };
  }
}

/**
 * Scores sentences as conlleval scores a file with these sentences separated (and ended) by blank
 * lines. Each sentence's gold and guess must have the same length.
 */
export function evaluateSentences(pairs: readonly SentencePair[], options: EvaluateOptions = {}): EvalResult {
  const scores = new SentenceScorer(options);
  for (const pair of pairs) scores.add(pair);
  return scores.finish();
}

/**
 * `evaluateSentences` one sentence at a time, for corpora streamed rather than held in memory:
 * `add` each sentence in file order, then `finish` once.
 */
export class SentenceScorer {
  private readonly counter: ConllevalCounter;
  private sentences = 0;

  constructor(options: EvaluateOptions = {}) {
    const rules = options.rules ?? 'conlleval';
    if (rules !== 'conlleval' && rules !== 'iobes') {
      throw new Error(`evaluateSentences: rules must be 'conlleval' or 'iobes', got ${JSON.stringify(rules)}`);
    }
    this.counter = new ConllevalCounter(rules);
  }

  add({ gold, guess }: SentencePair): void {
    const s = this.sentences++;
    if (gold.length !== guess.length) {
      throw new Error(`evaluateSentences: sentence ${s} has ${gold.length} gold tags but ${guess.length} guessed tags`);
    }
    for (let i = 0; i < gold.length; i++) {
      if (typeof gold[i] !== 'string' || typeof guess[i] !== 'string') {
        throw new TypeError(`evaluateSentences: sentence ${s}, token ${i}: tags must be strings`);
      }
      this.counter.token(gold[i], guess[i]);
    }
    this.counter.boundary();
  }

  finish(): EvalResult {
    return this.counter.finish();
  }
}

/** The report conlleval prints (default mode), byte for byte, ending with "\n". */
export function formatConllevalReport(result: EvalResult): string {
  const pct = (x: number) => printfFixed(x, 6, 2);
  const { tokens, correctTokens, goldChunks, guessedChunks, correctChunks } = result;
  const lines = [`processed ${tokens} tokens with ${goldChunks} phrases; found: ${guessedChunks} phrases; correct: ${correctChunks}.`];
  if (tokens > 0) {
    const s = conllevalScores(correctChunks, guessedChunks, goldChunks);
    lines.push(`accuracy: ${pct((100 * correctTokens) / tokens)}%; precision: ${pct(s.precision)}%; recall: ${pct(s.recall)}%; FB1: ${pct(s.f1)}`);
  }
  // conlleval sorts the keys of both count hashes together and drops a key equal to the previous
  // one, except that a previous key "" is false in Perl, so "" can be printed twice.
  const keys: string[] = [];
  for (const [t, c] of Object.entries(result.byType)) {
    if (c.gold > 0) keys.push(t);
    if (c.guessed > 0) keys.push(t);
  }
  keys.sort(compareCodePoints);
  let last: string | undefined;
  for (const t of keys) {
    if (!last || last !== t) {
      const c = result.byType[t];
      const s = conllevalScores(c.correct, c.guessed, c.gold);
      lines.push(`${printfString(t, 17)}: precision: ${pct(s.precision)}%; recall: ${pct(s.recall)}%; FB1: ${pct(s.f1)}  ${c.guessed}`);
    }
    last = t;
  }
  return lines.join('\n') + '\n';
}

/** One sentence read from conlleval input. */
export interface ConllevalSentence extends SentencePair {
  /** First column of each token line (the word) when there are 3+ columns, else "". */
  words: string[];
  gold: string[];
  guess: string[];
  /** 1-based line number of the sentence's first token. */
  line: number;
}

export interface ParseOptions {
  /**
   * How a line whose first column is "-DOCSTART-" is read. 'token' (default) is what conlleval
   * does: it is an ordinary token (so "-DOCSTART- -X- O O" adds one correct O token and, like any
   * O token, separates chunks). 'boundary' reads it as a sentence break that is not counted and
   * whose column count is not checked.
   */
  docstart?: 'token' | 'boundary';
}

/** A malformed line of conlleval input; the message starts with `file:line: `. */
export class ConllevalParseError extends Error {
  constructor(readonly file: string, readonly line: number, readonly problem: string) {
    super(`${file}:${line}: ${problem}`);
    this.name = 'ConllevalParseError';
  }
}

const FIELD_SEP = /[ \t\f\v\r]+/;

/**
 * Reads conlleval input: one token per line, columns separated by spaces/tabs, the last two columns
 * the gold and guessed tags. A blank line, or a line whose first column is "-X-", is a sentence
 * break. Every non-blank line must have as many columns as the first non-blank line (conlleval's
 * rule), and at least 2. Errors name `file:line`.
 */
export function parseConllevalInput(text: string, file: string, options: ParseOptions = {}): ConllevalSentence[] {
  const docstart = options.docstart ?? 'token';
  if (docstart !== 'token' && docstart !== 'boundary') {
    throw new Error(`parseConllevalInput: docstart must be 'token' or 'boundary', got ${JSON.stringify(docstart)}`);
  }
  // A final "\n" yields one more, empty, line: a harmless extra break.
  const rawLines = text.split('\n');
  const sentences: ConllevalSentence[] = [];
  let cur: ConllevalSentence | null = null;
  let columns = -1;
  const flush = () => {
    if (cur) sentences.push(cur);
    cur = null;
  };
  rawLines.forEach((raw, idx) => {
    const lineNo = idx + 1;
    const trimmed = raw.replace(/^[ \t\f\v\r]+|[ \t\f\v\r]+$/g, '');
    if (trimmed === '') return flush();
    const fields = trimmed.split(FIELD_SEP);
    if (docstart === 'boundary' && fields[0] === '-DOCSTART-') return flush();
    if (columns < 0) columns = fields.length;
    else if (fields.length !== columns) {
      throw new ConllevalParseError(file, lineNo, `unexpected number of features: ${fields.length} (expected ${columns})`);
    }
    if (fields[0] === '-X-') return flush();
    if (fields.length < 2) {
      throw new ConllevalParseError(file, lineNo, `unexpected number of features: ${fields.length} (need at least 2: gold and guessed tag)`);
    }
    if (!cur) cur = { words: [], gold: [], guess: [], line: lineNo };
    cur.words.push(fields.length > 2 ? fields[0] : '');
    cur.gold.push(fields[fields.length - 2]);
    cur.guess.push(fields[fields.length - 1]);
  });
  flush();
  return sentences;
}
