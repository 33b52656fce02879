/**
 * k-best Viterbi ("list Viterbi"): the k highest-scoring tag sequences of a linear-chain CRF, best
 * first, for n-best tagging. The score of a path y is the one Viterbi maximises (paper E2):
 *   s(y) = start[y_1] + Σ_t E[t, y_t] + Σ_{t>1} A[y_{t−1}, y_t] + end[y_L],
 * and its probability is exp(s(y) − log Z) with Z from the forward algorithm.
 *
 * Each (position t, tag j) keeps the k best partial paths that end in j at t, as (score, previous
 * tag, rank in the previous tag's list). The list at (t, j) is the k best of the K·k extensions of
 * the lists at t − 1, so every one of the k best complete paths is found: a prefix of one of them is
 * among the k best prefixes ending in its tag (otherwise k better completions would exist). Time
 * O(T·K²·k·log(K·k)), memory O(T·K·k) per sentence.
 *
 * Forbidden moves are −∞ scores (constrainedScores: I-X after O under BIO), and paths with a −∞
 * score are not returned, so a sentence may have fewer than k paths. Ties keep the order in which
 * the candidates were formed (smaller previous tag, then better previous rank), which makes the
 * first path the one {@link viterbi} returns (it keeps the first maximum too).
 */
import type { FloatArray } from './types.ts';
import type { CrfDims } from './crf.ts';

export interface KBestPaths {
  /** Tag ids [B, k, T]: path r of sentence b at [(b·k + r)·T, …); −1 past the length and for missing paths. */
  paths: Int32Array;
  /** Path scores s(y) [B, k], best first; −∞ for missing paths. */
  scores: Float64Array;
  /** Number of paths found per sentence [B] (k, unless fewer paths have a finite score). */
  counts: Int32Array;
}

export function kBestViterbi(emissions: FloatArray, transitions: FloatArray, start: FloatArray, end: FloatArray, d: CrfDims, k: number): KBestPaths {
  const { B, T, K, lengths } = d;
  if (!Number.isInteger(k) || k < 1) throw new Error(`kBestViterbi: k must be a positive integer, got ${k}`);
  const paths = new Int32Array(B * k * T).fill(-1);
  const scores = new Float64Array(B * k).fill(-Infinity);
  const counts = new Int32Array(B);
  // Per (t, j): up to k entries at [(t·K + j)·k + r].
  const score = new Float64Array(T * K * k);
  const prevTag = new Int32Array(T * K * k);
  const prevRank = new Int32Array(T * K * k);
  const count = new Int32Array(T * K);
  const candScore = new Float64Array(K * k), candTag = new Int32Array(K * k), candRank = new Int32Array(K * k);
  const order = Array.from({ length: K * k }, (_, i) => i);
  /** Sorts the first n candidates best first (stable on formation order) into `order`. */
  const rank = (n: number): void => {
    order.length = n;
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => candScore[b] - candScore[a] || a - b);
  };
  for (let b = 0; b < B; b++) {
    const L = lengths[b];
    if (L < 1 || L > T) throw new Error(`kBestViterbi: sentence ${b} has length ${L}, must lie in [1, ${T}]`);
    const e0 = b * T * K;
    count.fill(0);
    for (let j = 0; j < K; j++) {
      const v = start[j] + emissions[e0 + j];
      if (v === -Infinity) continue;
      score[j * k] = v;
      prevTag[j * k] = -1;
      prevRank[j * k] = -1;
      count[j] = 1;
    }
    for (let t = 1; t < L; t++) {
      for (let j = 0; j < K; j++) {
        const ej = emissions[e0 + t * K + j];
        let n = 0;
        for (let i = 0; i < K; i++) {
          const from = (t - 1) * K + i, a = transitions[i * K + j];
          if (a === -Infinity) continue;
          for (let r = 0; r < count[from]; r++) {
            const v = score[from * k + r] + a + ej;
            if (v === -Infinity) continue;
            candScore[n] = v; candTag[n] = i; candRank[n] = r; n++;
          }
        }
        rank(n);
        const at = t * K + j, kept = Math.min(n, k);
        for (let r = 0; r < kept; r++) {
          const c = order[r];
          score[at * k + r] = candScore[c]; prevTag[at * k + r] = candTag[c]; prevRank[at * k + r] = candRank[c];
        }
        count[at] = kept;
      }
    }
    let n = 0;
    for (let j = 0; j < K; j++) {
      if (end[j] === -Infinity) continue;
      const at = (L - 1) * K + j;
      for (let r = 0; r < count[at]; r++) {
        candScore[n] = score[at * k + r] + end[j]; candTag[n] = j; candRank[n] = r; n++;
      }
    }
    rank(n);
    const found = Math.min(n, k);
    counts[b] = found;
    for (let p = 0; p < found; p++) {
      const c = order[p];
      scores[b * k + p] = candScore[c];
      let tag = candTag[c], r = candRank[c];
      const row = (b * k + p) * T;
      for (let t = L - 1; t >= 0; t--) {
        paths[row + t] = tag;
        const at = (t * K + tag) * k + r;
        tag = prevTag[at];
        r = prevRank[at];
      }
    }
  }
  return { paths, scores, counts };
}
