/**
 * `InputProjectionCache`: an inference cache of the Bi-LSTM's input projection of word embeddings.
 *
 * The first product of each LSTM direction (paper E1's gates, W·[h_{t−1}; x_t] split as
 * x_t·W_ih + h_{t−1}·W_hh) is, over the word-embedding part of x_t, a function of the word alone:
 * e_w·W_ih[0..D−1, :]. When decoding, the same words come back again and again (Zipf), so this
 * cache computes that row once per word and direction, and the fused forward pass starts each
 * token's gates from it instead of multiplying the embedding again. For the character-level
 * (Chinese) model, whose LSTM input is the embedding alone, that is half of the Bi-LSTM's
 * arithmetic; with a char encoder, the char features' columns are still multiplied per token.
 *
 * Same bits, by construction: the rows are computed by the forward pass's own gemm
 * (`inputProjection` of the fused backend), from zero and over k in the same order, and the forward
 * pass goes on from them over the remaining inputs (test/nn/inputProjection.test.ts compares the
 * two paths bit for bit).
 *
 * Never stale: a cached row is used only while the embedding row it was computed from and the
 * W_ih rows are bitwise unchanged (checked on every call, ~0.1 ms at the paper's sizes), so
 * training steps, loading weights or fine-tuning between calls cannot make it wrong: a changed
 * W_ih empties the cache, a changed embedding row is recomputed.
 *
 * Bounded: at most `maxBytes` (32 MiB by default) of rows, growing as needed; when full, it starts
 * again empty (a batch with more distinct words than fit gets a table of its own size).
 */
import type { BiLstmProjection } from '../backend/index.ts';
import { getBackend } from '../backend/index.ts';

/** Default memory bound of one cache. */
export const INPUT_PROJECTION_CACHE_BYTES = 32 * 1024 * 1024;

/** The arrays one lookup needs: the embedding table [V, D] and each direction's W_ih [I, 4H] (I ≥ D). */
export interface ProjectionWeights {
  embedding: Float32Array;
  /** Embedding width D: the first D inputs of the LSTM are the word embedding. */
  dim: number;
  forwardWih: Float32Array;
  backwardWih: Float32Array;
  /** 4H. */
  gates: number;
}

export class InputProjectionCache {
  /** Slot of each word id's cached rows, −1 when none; `seenIn`: the last lookup that met the id. */
  private slotOf = new Int32Array(0);
  private seenIn = new Int32Array(0);
  private calls = 0;
  /** Per slot: the forward and backward rows [., G] and the embedding row they came from [., D]. */
  private forwardRows: Float32Array = new Float32Array(0);
  private backwardRows: Float32Array = new Float32Array(0);
  private sources: Float32Array = new Float32Array(0);
  /** Copies of the W_ih rows [D, G] the cached rows were computed with. */
  private forwardWih: Float32Array = new Float32Array(0);
  private backwardWih: Float32Array = new Float32Array(0);
  private dim = 0;
  private gates = 0;
  private used = 0;

  constructor(readonly maxBytes = INPUT_PROJECTION_CACHE_BYTES) {}

  /** Words cached now. */
  get size(): number {
    return this.used;
  }

  /**
   * The projection of every token of a batch (`rowOf` per token, padding included), computing the
   * rows of words not cached yet; undefined where the backend has no fused LSTM to take it.
   */
  lookup(wordIds: Int32Array, w: ProjectionWeights): BiLstmProjection | undefined {
    const fused = getBackend().lstmDirection;
    if (!fused || !fused.supports({ H: w.gates / 4, I: w.dim })) return undefined;
    const project = fused.inputProjection;
    this.validateWeights(w);
    const { embedding, dim: D, gates: G } = w;
    const V = embedding.length / D;
    if (this.slotOf.length !== V) this.resetSlots(V);
    // The batch's distinct words, and those without a valid row (new, or their embedding changed).
    const call = ++this.calls;
    const distinct: number[] = [];
    let missing: number[] = [];
    let fresh = 0;
    for (let i = 0; i < wordIds.length; i++) {
      const id = wordIds[i];
      if (this.seenIn[id] === call) continue;
      this.seenIn[id] = call;
      distinct.push(id);
      const slot = this.slotOf[id];
      if (slot < 0) fresh++;
      if (slot < 0 || !sameBits(this.sources, slot * D, embedding, id * D, D)) missing.push(id);
    }
    if (this.used + fresh > this.capacity()) {
      this.clear();
      missing = distinct;
      fresh = distinct.length;
    }
    this.reserve(this.used + fresh);
    if (missing.length > 0) {
      const rows = new Float32Array(missing.length * D);
      missing.forEach((id, j) => rows.set(embedding.subarray(id * D, id * D + D), j * D));
      const f = project(rows, missing.length, D, w.forwardWih, G), b = project(rows, missing.length, D, w.backwardWih, G);
      missing.forEach((id, j) => {
        if (this.slotOf[id] < 0) this.slotOf[id] = this.used++;
        const slot = this.slotOf[id];
        this.forwardRows.set(f.subarray(j * G, j * G + G), slot * G);
        this.backwardRows.set(b.subarray(j * G, j * G + G), slot * G);
        this.sources.set(rows.subarray(j * D, j * D + D), slot * D);
      });
    }
    const rowOf = new Int32Array(wordIds.length);
    for (let i = 0; i < wordIds.length; i++) rowOf[i] = this.slotOf[wordIds[i]];
    return {
      forward: { table: this.forwardRows, rowOf, columns: D },
      backward: { table: this.backwardRows, rowOf, columns: D },
    };
  }

  /** Forgets every row. */
  clear(): void {
    this.slotOf.fill(-1);
    this.used = 0;
  }

  private resetSlots(vocabulary: number): void {
    this.slotOf = new Int32Array(vocabulary).fill(-1);
    this.seenIn = new Int32Array(vocabulary);
    this.used = 0;
  }

  /** Rows that fit in `maxBytes`. */
  private capacity(): number {
    return Math.max(1, Math.floor(this.maxBytes / (4 * (2 * this.gates + this.dim))));
  }

  /** Empties the cache when the shapes or W_ih's first D rows differ from those the rows came from. */
  private validateWeights(w: ProjectionWeights): void {
    const n = w.dim * w.gates;
    const same = w.dim === this.dim && w.gates === this.gates &&
      sameBits(this.forwardWih, 0, w.forwardWih, 0, n) && sameBits(this.backwardWih, 0, w.backwardWih, 0, n);
    if (same) return;
    this.clear();
    this.dim = w.dim;
    this.gates = w.gates;
    this.forwardWih = w.forwardWih.slice(0, n);
    this.backwardWih = w.backwardWih.slice(0, n);
    this.forwardRows = new Float32Array(0);
    this.backwardRows = new Float32Array(0);
    this.sources = new Float32Array(0);
  }

  /** Grows the row arrays (doubling) to hold `rows` rows. */
  private reserve(rows: number): void {
    const G = this.gates, D = this.dim;
    if (this.sources.length >= rows * D) return;
    const n = Math.max(rows, Math.min(2 * (this.sources.length / D || 64), this.capacity()));
    const grow = (old: Float32Array, width: number): Float32Array => {
      const a = new Float32Array(n * width);
      a.set(old.subarray(0, this.used * width));
      return a;
    };
    this.forwardRows = grow(this.forwardRows, G);
    this.backwardRows = grow(this.backwardRows, G);
    this.sources = grow(this.sources, D);
  }
}

/**
 * Whether a[i..i+n) and b[j..j+n) may be taken for one another here: the same bits, except that
 * +0 and −0 may pass for each other (compared eight bytes at a time as float64 where aligned),
 * which cannot change a projection: a signed-zero product added to a sum that starts at +0 leaves
 * the same bits. NaNs never compare equal, so a NaN row is recomputed every time (never wrong).
 */
function sameBits(a: Float32Array, i: number, b: Float32Array, j: number, n: number): boolean {
  if (a.length < i + n || b.length < j + n) return false;
  const ao = a.byteOffset + 4 * i, bo = b.byteOffset + 4 * j;
  let k = 0;
  if (ao % 8 === 0 && bo % 8 === 0 && n >= 2) {
    const half = n >> 1;
    const x = new Float64Array(a.buffer, ao, half), y = new Float64Array(b.buffer, bo, half);
    for (; k < half; k++) if (x[k] !== y[k]) return false;
    k = 2 * half;
  }
  for (; k < n; k++) if (a[i + k] !== b[j + k]) return false;
  return true;
}
