/**
 * Few-label target subsets (README "Few-label target subsets").
 *
 * Each corpus has `train.order.txt`, a fixed permutation of its train sentence indices. The subset
 * for fraction `p` is the first `ceil(p * N)` entries of that list, so subsets for growing `p` are
 * nested. Whole sentences are sampled, never tokens.
 *
 * Choice: the selected sentences are returned in FILE order (ascending index), not list order. The
 * set is the same either way; file order keeps neighbouring sentences of one document together,
 * makes a subset easy to diff against the file, and leaves all shuffling to the batcher's seeded rng.
 */
import { CorpusError } from './corpusError.ts';
import { withoutByteOrderMark } from './byteOrderMark.ts';
import type { Shuffler } from './shuffler.ts';

/**
 * Parses an order file: one 0-based sentence index per line (LF or CRLF, optional final newline),
 * which together must be a permutation of `0..n-1`.
 * @throws CorpusError `file:line: problem` for a line that is not a plain non-negative integer, an
 *   index out of range or a repeated index; `file: problem` when indices are missing.
 */
export function parseOrderFile(text: string, file: string, n: number): number[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`parseOrderFile: n must be a non-negative integer, got ${n}`);
  text = withoutByteOrderMark(text);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop(); // the final newline, not an empty line
  const firstLine = new Int32Array(n); // 1-based line where each index was seen, 0 = not yet
  const order: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    const lineNo = i + 1;
    if (!/^[0-9]+$/.test(line)) {
      throw new CorpusError(file, lineNo, line === '' ? 'empty line; expected a sentence index' : `expected a sentence index (a non-negative integer), found ${JSON.stringify(line)}`);
    }
    const index = Number(line);
    if (index >= n) throw new CorpusError(file, lineNo, `index ${index} is out of range: the corpus has ${n} sentences (0..${n - 1})`);
    if (firstLine[index] !== 0) throw new CorpusError(file, lineNo, `index ${index} is listed twice (first on line ${firstLine[index]})`);
    firstLine[index] = lineNo;
    order.push(index);
  }
  if (order.length !== n) {
    const missing: number[] = [];
    for (let i = 0; i < n && missing.length < 10; i++) if (firstLine[i] === 0) missing.push(i);
    throw new CorpusError(file, null, `lists ${order.length} indices but the corpus has ${n} sentences; missing ${missing.join(', ')}${n - order.length > missing.length ? ', ...' : ''}`);
  }
  return order;
}

/**
 * `ceil(fraction * n)`, robust to floating-point error: a product that is an integer up to rounding
 * (e.g. 0.07 * 100 = 7.000000000000001) counts as that integer, not the next one. For the protocol's
 * fractions (0.05, 0.1, 0.2) this equals the plain `Math.ceil(fraction * n)` (checked in the tests).
 */
export function fewLabelCount(n: number, fraction: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`fewLabelCount: n must be a non-negative integer, got ${n}`);
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`fewLabelCount: fraction must be in [0, 1], got ${fraction}`);
  const x = fraction * n;
  const r = Math.round(x);
  return Math.abs(x - r) <= 1e-9 * Math.max(1, x) ? r : Math.ceil(x);
}

function checkPermutation(order: readonly number[], n: number): void {
  if (order.length !== n) throw new Error(`the order lists ${order.length} indices for ${n} sentences`);
  const seen = new Uint8Array(n);
  for (const i of order) {
    if (!Number.isInteger(i) || i < 0 || i >= n || seen[i] === 1) throw new Error(`the order is not a permutation of 0..${n - 1} (bad or repeated index ${i})`);
    seen[i] = 1;
  }
}

/** A few-label subset: the selected indices and sentences, both in file order. */
export interface FewLabelSubset<T> {
  indices: number[];
  sentences: T[];
}

/**
 * The few-label subset for `fraction`: the first `ceil(fraction * N)` indices of `order`
 * (N = `sentences.length`), returned in FILE order (see the module comment).
 * @throws Error when `order` is not a permutation of `0..N-1` or `fraction` is outside [0, 1].
 */
export function fewLabelSubset<T>(sentences: readonly T[], order: readonly number[], fraction: number): FewLabelSubset<T> {
  checkPermutation(order, sentences.length);
  const k = fewLabelCount(sentences.length, fraction);
  const indices = order.slice(0, k).sort((a, b) => a - b);
  return { indices, sentences: indices.map((i) => sentences[i]) };
}

/** A seeded permutation of `0..n-1`, for corpora without a `train.order.txt`. */
export function seededOrder(n: number, rng: Shuffler): number[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`seededOrder: n must be a non-negative integer, got ${n}`);
  return rng.shuffle(Array.from({ length: n }, (_, i) => i));
}
