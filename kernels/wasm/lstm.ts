/**
 * One LSTM direction over a padded batch, forward and backward, on WebAssembly SIMD: the fused
 * twin of `lstmSequenceForward` / `lstmSequenceBackward` (kernels/cpu/lstm.ts) together with the
 * input projection and the weight-gradient products that lib/ops/lstmSequence.ts does around them.
 *
 * Why it is faster than driving the TypeScript kernels with the wasm matmul:
 * - packed sequences (as PyTorch's pack_padded_sequence): sentences are ordered by decreasing
 *   length and laid out step-major, so step s works on a contiguous block of the n_s sentences still
 *   running; no product or cell update is spent on padding, and a step's rows are one gemm operand;
 * - every array of the direction lives in one wasm memory for the whole call, so a time step is a
 *   pack of h_{t−1} (15 rows), a gemm that accumulates h_{t−1}·W_hh onto the step's input
 *   projection in place, and one SIMD cell update: no copies, no allocation, no JS loop per element;
 * - W_hh (and W_hhᵀ for the backward) is packed once per call, not once per time step;
 * - the gate non-linearities run four lanes at a time (simdMath.ts) instead of Math.exp per lane;
 * - ∂L/∂W_hh is one product Σ_t h_{t−1}ᵀ·dPre_t over all steps at once (k = all tokens) instead of
 *   a rank-15 update per step.
 *
 * Layout (float indices into the memory; every row contiguous): for step s, rows
 * offsets[s] .. offsets[s] + counts[s] − 1 hold sentences perm[0..counts[s]−1] at their position
 * t = s (forward) or length − 1 − s (reverse). N = Σ lengths rows in all.
 *
 * Numbers: float32 throughout, like the wasm matmul (sums over k in float32); the gates' σ and tanh
 * have absolute error < 2.4e-7. test/kernels/wasm/lstm.test.ts checks both passes against the
 * TypeScript kernels run in float64.
 */
import { Arena, gemmPacked, lazyGemmModule, MR, NR, roundUp, type GemmModule } from './gemmKernels.ts';
import { lstmStepFuncs } from './lstmModule.ts';

/** Shape of one direction's call. */
export interface LstmDirectionDims {
  B: number;
  T: number;
  /** Input features per token. */
  I: number;
  /** Hidden units; the fused kernels need a multiple of 4. */
  H: number;
  lengths: Int32Array;
  reverse: boolean;
}

/**
 * Buffers of saved states, reused: a saved state is megabytes per direction and lives from a forward
 * pass to its backward pass, so allocating it fresh each time cost more than the copies (calloc,
 * page faults and garbage-collector pressure: 0.35–0.9 ms against 0.06 ms per direction, measured).
 * Sizes are rounded up to classes of 16,384 floats; at most POOL_DEPTH buffers per class are kept.
 */
const POOL_CLASS = 16_384, POOL_DEPTH = 16;
const pool = new Map<number, Float32Array[]>();

function takeBuffer(n: number): Float32Array {
  const size = Math.max(1, Math.ceil(n / POOL_CLASS)) * POOL_CLASS;
  const buffer = pool.get(size)?.pop() ?? new Float32Array(size);
  return buffer.subarray(0, n);
}

function releaseBuffer(view: Float32Array): void {
  const whole = new Float32Array(view.buffer, 0, view.buffer.byteLength / 4);
  const list = pool.get(whole.length) ?? [];
  if (list.length < POOL_DEPTH) list.push(whole);
  pool.set(whole.length, list);
}

/** What the forward pass keeps for the backward pass, in the packed step-major order. */
export interface LstmDirectionSaved {
  /** Set once a backward pass has used (and recycled) the buffers: a second backward is refused. */
  consumed?: boolean;
  /** Activated gates [N, 4H]. */
  gates: Float32Array;
  /** c_t [N, H]. */
  c: Float32Array;
  /** tanh(c_t) [N, H]. */
  tc: Float32Array;
  /** h_t [N, H]. */
  h: Float32Array;
}

export interface LstmDirectionGrads {
  /** ∂L/∂x [B, T, I] (zeros at padding), when asked for. */
  dx: Float32Array | null;
  dWih: Float32Array;
  dWhh: Float32Array;
  dBias: Float32Array;
}

type CellForwardFn = (gates: number, bias: number, cPrev: number, c: number, tc: number, h: number, rows: number, hidden: number) => void;
type CellBackwardFn = (gates: number, tc: number, cPrev: number, dh: number, dc: number, rows: number, hidden: number, dhStride: number) => void;
type ColumnSumsFn = (src: number, rows: number, cols4: number, dst: number) => void;

const lazyModule = lazyGemmModule(lstmStepFuncs);

type Kernels = GemmModule & { cellForward: CellForwardFn; cellBackward: CellBackwardFn; columnSums: ColumnSumsFn };
let kernels: Kernels | null | undefined;

/** The compiled module with the step kernels typed, or null where it cannot run. */
function load(): Kernels | null {
  if (kernels === undefined) {
    const m = lazyModule.get();
    kernels = m && { ...m, cellForward: m.exports.cellForward as CellForwardFn, cellBackward: m.exports.cellBackward as CellBackwardFn, columnSums: m.exports.columnSums as ColumnSumsFn };
  }
  return kernels;
}

/**
 * Whether a call of these dimensions can take the fused path (WebAssembly SIMD available and
 * compilation allowed, H a multiple of 4); else use the TypeScript kernels.
 */
export function wasmLstmSupports(d: { H: number; I: number }): boolean {
  return d.H % 4 === 0 && d.H >= 4 && d.I >= 1 && lazyModule.get() !== null;
}

/** The packed step-major schedule of a batch. */
interface Schedule {
  /** Sentence index of packed row r within a step (longest first, stable). */
  perm: Int32Array;
  /** counts[s]: sentences still running at step s. */
  counts: Int32Array;
  /** offsets[s]: first packed row of step s (offsets[S] = N). */
  offsets: Int32Array;
  S: number;
  N: number;
}

function schedule(lengths: Int32Array): Schedule {
  const B = lengths.length;
  const perm = Int32Array.from({ length: B }, (_, b) => b).sort((a, b) => lengths[b] - lengths[a] || a - b);
  const S = B > 0 ? lengths[perm[0]] : 0;
  const counts = new Int32Array(S), offsets = new Int32Array(S + 1);
  let running = B;
  for (let s = 0; s < S; s++) {
    while (running > 0 && lengths[perm[running - 1]] <= s) running--;
    counts[s] = running;
    offsets[s + 1] = offsets[s] + running;
  }
  return { perm, counts, offsets, S, N: offsets[S] };
}

/** Position t of packed row r at step s. */
function timeOf(lengths: Int32Array, b: number, s: number, reverse: boolean): number {
  return reverse ? lengths[b] - 1 - s : s;
}

/**
 * Where a direction reads or writes its per-token rows in a [B, T, ·] array: `width` values at
 * `offset` within rows of `rowStride` (the forward and backward halves of a Bi-LSTM's [B, T, 2H]).
 */
export interface RowView {
  data: Float32Array;
  rowStride: number;
  offset: number;
}

const dense = (data: Float32Array, width: number): RowView => ({ data, rowStride: width, offset: 0 });

/** Copies the token rows of `src` into packed order (`f32` at float index `at`, row stride `stride`). */
function gatherRows(src: RowView, width: number, f32: Float32Array, at: number, stride: number, sc: Schedule, d: LstmDirectionDims): void {
  const { T, lengths, reverse } = d;
  for (let s = 0; s < sc.S; s++) {
    for (let r = 0; r < sc.counts[s]; r++) {
      const b = sc.perm[r], t = timeOf(lengths, b, s, reverse);
      const from = (b * T + t) * src.rowStride + src.offset;
      f32.set(src.data.subarray(from, from + width), at + (sc.offsets[s] + r) * stride);
    }
  }
}

/** The inverse: packed rows into the token rows of `dst` (padding untouched), added when `accumulate`. */
function scatterRows(f32: Float32Array, at: number, stride: number, width: number, sc: Schedule, d: LstmDirectionDims, dst: RowView, accumulate = false): void {
  const { T, lengths, reverse } = d;
  for (let s = 0; s < sc.S; s++) {
    for (let r = 0; r < sc.counts[s]; r++) {
      const b = sc.perm[r], t = timeOf(lengths, b, s, reverse);
      const from = at + (sc.offsets[s] + r) * stride, to = (b * T + t) * dst.rowStride + dst.offset;
      if (!accumulate) dst.data.set(f32.subarray(from, from + width), to);
      else for (let j = 0; j < width; j++) dst.data[to + j] += f32[from + j];
    }
  }
}

/**
 * Precomputed input projections of a forward pass (an inference cache, lib/nn/inputProjection.ts):
 * row `rowOf[b·T + t]` of `table` [rows, 4H] holds x[b, t, 0..columns−1]·W_ih[0..columns−1, :],
 * computed by `lstmInputProjection` with this module's gemm.
 */
export interface InputProjection {
  table: Float32Array;
  rowOf: Int32Array;
  columns: number;
}

/** Copies the projection rows of every real token into the packed gates (step-major order). */
function gatherProjection(p: InputProjection, G: number, f32: Float32Array, at: number, sc: Schedule, d: LstmDirectionDims): void {
  const { T, lengths, reverse } = d;
  for (let s = 0; s < sc.S; s++) {
    for (let r = 0; r < sc.counts[s]; r++) {
      const b = sc.perm[r], from = p.rowOf[b * T + timeOf(lengths, b, s, reverse)] * G;
      f32.set(p.table.subarray(from, from + G), at + (sc.offsets[s] + r) * G);
    }
  }
}

/**
 * rows [n, K] · W_ih[0..K−1, :] → [n, 4H] with the gemm of the forward pass, from zero and summing
 * k in the same order, so that a forward pass given these rows as its `InputProjection` computes
 * bit for bit what it computes from x.
 */
export function lstmInputProjection(rows: Float32Array, n: number, K: number, Wih: Float32Array, G: number): Float32Array {
  const k = load();
  if (!k) throw new Error(`lstm: wasm kernels unavailable (${lazyModule.failure()})`);
  const out = new Float32Array(n * G);
  if (n === 0 || K === 0) return out;
  const mem = new Arena('lstm projection');
  const raw = mem.take(n * K), wRaw = mem.take(K * G), A = mem.take(roundUp(n, MR) * K), W = mem.take(K * G);
  const C = mem.take((n + MR) * G);
  const f32 = mem.commit(k.memory);
  f32.set(rows.subarray(0, n * K), raw);
  f32.set(Wih.subarray(0, K * G), wRaw);
  k.packB(wRaw * 4, W * 4, G, K, 4, G * 4);
  k.packA(raw * 4, A * 4, n, K, K * 4, 4);
  gemmPacked(k, A * 4, K * MR * 4, W * 4, K * NR * 4, C * 4, G * 4, n, K, G, false);
  out.set(f32.subarray(C, C + n * G));
  return out;
}

/**
 * Forward pass of one direction: h [B, T, H] (zeros at padding) for inputs x [B, T, I], and, when
 * `keep`, what the backward pass needs. Requires `wasmLstmSupports(d)`.
 */
export function lstmDirectionForward(x: Float32Array, Wih: Float32Array, Whh: Float32Array, bias: Float32Array, d: LstmDirectionDims, keep: boolean, out?: RowView, projection?: InputProjection): { h: Float32Array; saved: LstmDirectionSaved | null } {
  const k = load();
  if (!k) throw new Error(`lstm: wasm kernels unavailable (${lazyModule.failure()})`);
  const { B, T, I, H } = d;
  const G = 4 * H;
  const K = projection?.columns ?? 0;
  if (K < 0 || K > I) throw new Error(`lstm: input projection of ${K} columns for ${I} inputs`);
  const sc = schedule(d.lengths);
  const { N, S, counts, offsets } = sc;
  const hView = out ?? dense(new Float32Array(B * T * H), H);
  const h = hView.data;
  if (N === 0) return { h, saved: keep ? { gates: new Float32Array(0), c: new Float32Array(0), tc: new Float32Array(0), h: new Float32Array(0) } : null };

  const mem = new Arena('lstm');
  const wihRaw = mem.take(I * G), whhRaw = mem.take(H * G), biasAt = mem.take(G);
  const wihP = mem.take(I * G), whhP = mem.take(H * G);
  const X = mem.take(N * I), XA = mem.take(roundUp(N, MR) * I);
  const gates = mem.take((N + MR) * G);
  const C = mem.take(N * H), TC = mem.take(N * H), HO = mem.take(N * H);
  const hA = mem.take(roundUp(B, MR) * H), zero = mem.take(B * H);
  const f32 = mem.commit(k.memory);

  f32.set(Whh.subarray(0, H * G), whhRaw);
  f32.set(bias.subarray(0, G), biasAt);
  f32.fill(0, zero, zero + B * H);
  k.packB(whhRaw * 4, whhP * 4, G, H, 4, G * 4);
  // Input projection of every real token at once: gates[N, 4H] = X·W_ih (the bias is added by the
  // cell). With a projection, its rows already hold the sums over the first K inputs, and the gemm
  // goes on from them over inputs K..I−1: the same float32 sums in the same order, so the same bits.
  if (projection) gatherProjection(projection, G, f32, gates, sc, d);
  if (K < I) {
    f32.set(Wih.subarray(K * G, I * G), wihRaw);
    k.packB(wihRaw * 4, wihP * 4, G, I - K, 4, G * 4);
    gatherRows(dense(x, I), I, f32, X, I, sc, d);
    k.packA((X + K) * 4, XA * 4, N, I - K, I * 4, 4);
    gemmPacked(k, XA * 4, (I - K) * MR * 4, wihP * 4, (I - K) * NR * 4, gates * 4, G * 4, N, I - K, G, K > 0);
  }

  for (let s = 0; s < S; s++) {
    const rows = counts[s], at = offsets[s];
    if (s > 0) {
      // pre += h_{t−1}·W_hh for the rows still running (a prefix of the previous step's rows).
      k.packA((HO + offsets[s - 1] * H) * 4, hA * 4, rows, H, H * 4, 4);
      gemmPacked(k, hA * 4, H * MR * 4, whhP * 4, H * NR * 4, (gates + at * G) * 4, G * 4, rows, H, G, true);
    }
    const cPrev = s > 0 ? C + offsets[s - 1] * H : zero;
    k.cellForward((gates + at * G) * 4, biasAt * 4, cPrev * 4, (C + at * H) * 4, (TC + at * H) * 4, (HO + at * H) * 4, rows, H);
  }

  scatterRows(f32, HO, H, H, sc, d, hView);
  const copy = (at: number, n: number): Float32Array => {
    const b = takeBuffer(n);
    b.set(f32.subarray(at, at + n));
    return b;
  };
  const saved = keep ? { gates: copy(gates, N * G), c: copy(C, N * H), tc: copy(TC, N * H), h: copy(HO, N * H) } : null;
  return { h, saved };
}

/**
 * Backward pass of one direction: from ∂L/∂h [B, T, H], the gradients of x (when `needDx`), W_ih,
 * W_hh and the bias. `saved` must come from `lstmDirectionForward` on the same inputs.
 */
export function lstmDirectionBackward(dh: Float32Array | RowView, saved: LstmDirectionSaved, x: Float32Array, Wih: Float32Array, Whh: Float32Array, d: LstmDirectionDims, needDx: boolean | Float32Array): LstmDirectionGrads {
  const k = load();
  if (!k) throw new Error(`lstm: wasm kernels unavailable (${lazyModule.failure()})`);
  const { B, T, I, H } = d;
  const G = 4 * H, Hp = roundUp(H, NR), Ip = roundUp(I, NR);
  const sc = schedule(d.lengths);
  const { N, S, counts, offsets } = sc;
  // needDx may be an existing ∂L/∂x to add this direction's contribution to (a Bi-LSTM's two directions).
  const dxInto = needDx instanceof Float32Array ? needDx : null;
  const grads: LstmDirectionGrads = { dx: dxInto ?? (needDx ? new Float32Array(B * T * I) : null), dWih: new Float32Array(I * G), dWhh: new Float32Array(H * G), dBias: new Float32Array(G) };
  if (N === 0) return grads;
  const n0 = counts[0], NS = N - n0; // rows with a predecessor (steps ≥ 1)

  const mem = new Arena('lstm');
  const whhRaw = mem.take(H * G), whhTP = mem.take(G * Hp);
  const dPre = mem.take((N + MR) * G), C = mem.take(N * H), TC = mem.take(N * H);
  const DH = mem.take((N + MR) * Hp), dc = mem.take(B * H), zero = mem.take(B * H), dA = mem.take(roundUp(B, MR) * G);
  const dPreB = mem.take(N * G), HS = mem.take(Math.max(NS, 1) * H), HSA = mem.take(roundUp(H, MR) * Math.max(NS, 1));
  const X = mem.take(N * I), XTA = mem.take(roundUp(I, MR) * N);
  const dW = mem.take(roundUp(Math.max(H, I), MR) * G), bsum = mem.take(G);
  const wihRaw = needDx ? mem.take(I * G) : 0, wihTP = needDx ? mem.take(G * Ip) : 0, dPreA = needDx ? mem.take(roundUp(N, MR) * G) : 0, DX = needDx ? mem.take(roundUp(N, MR) * Ip) : 0;
  const f32 = mem.commit(k.memory);

  if (saved.consumed) throw new Error('lstm: this forward pass was already back-propagated (a fused LSTM supports one backward pass per forward pass)');
  f32.set(saved.gates, dPre);
  f32.set(saved.c, C);
  f32.set(saved.tc, TC);
  f32.fill(0, DH, DH + (N + MR) * Hp);
  f32.fill(0, dc, dc + B * H);
  f32.fill(0, zero, zero + B * H);
  gatherRows(dh instanceof Float32Array ? dense(dh, H) : dh, H, f32, DH, Hp, sc, d);
  f32.set(Whh.subarray(0, H * G), whhRaw);
  // W_hhᵀ as the B operand of dh_{t−1} = dPre_t·W_hhᵀ: element (p, j) = W_hh[j][p].
  k.packB(whhRaw * 4, whhTP * 4, H, G, G * 4, 4);

  for (let s = S - 1; s >= 0; s--) {
    const rows = counts[s], at = offsets[s];
    const cPrev = s > 0 ? C + offsets[s - 1] * H : zero;
    // dPre_t over the gates (in place), dc_{t−1} over dc.
    k.cellBackward((dPre + at * G) * 4, (TC + at * H) * 4, cPrev * 4, (DH + at * Hp) * 4, dc * 4, rows, H, Hp * 4);
    if (s > 0) {
      // Sentences that start at this step (rows ≥ counts[s] of step s − 1) get no gradient from it.
      f32.fill(0, dc + rows * H, dc + counts[s - 1] * H);
      k.packA((dPre + at * G) * 4, dA * 4, rows, G, G * 4, 4);
      gemmPacked(k, dA * 4, G * MR * 4, whhTP * 4, G * NR * 4, (DH + offsets[s - 1] * Hp) * 4, Hp * 4, rows, G, H, true);
    }
  }

  // ∂L/∂b = Σ_rows dPre.
  f32.fill(0, bsum, bsum + G);
  k.columnSums(dPre * 4, N, G / 4, bsum * 4);
  grads.dBias.set(f32.subarray(bsum, bsum + G));

  // dPre as a B operand (k = rows), shared by the two weight gradients.
  k.packB(dPre * 4, dPreB * 4, G, N, 4, G * 4);
  // ∂L/∂W_hh = Σ_{s ≥ 1} h_{s−1}ᵀ·dPre_s: HS holds, for each row of steps ≥ 1, its predecessor's h.
  if (NS > 0) {
    for (let s = 1; s < S; s++) f32.set(saved.h.subarray(offsets[s - 1] * H, (offsets[s - 1] + counts[s]) * H), HS + (offsets[s] - n0) * H);
    k.packA(HS * 4, HSA * 4, H, NS, 4, H * 4);
    gemmPacked(k, HSA * 4, NS * MR * 4, (dPreB + n0 * NR) * 4, N * NR * 4, dW * 4, G * 4, H, NS, G, false);
    grads.dWhh.set(f32.subarray(dW, dW + H * G));
  }
  // Everything saved is now in the kernel's memory: recycle the buffers.
  saved.consumed = true;
  for (const b of [saved.gates, saved.c, saved.tc, saved.h]) if (b.length > 0) releaseBuffer(b);
  // ∂L/∂W_ih = Xᵀ·dPre.
  gatherRows(dense(x, I), I, f32, X, I, sc, d);
  k.packA(X * 4, XTA * 4, I, N, 4, I * 4);
  gemmPacked(k, XTA * 4, N * MR * 4, dPreB * 4, N * NR * 4, dW * 4, G * 4, I, N, G, false);
  grads.dWih.set(f32.subarray(dW, dW + I * G));
  // ∂L/∂x = dPre·W_ihᵀ, scattered back to [B, T, I].
  if (grads.dx) {
    f32.set(Wih.subarray(0, I * G), wihRaw);
    k.packB(wihRaw * 4, wihTP * 4, I, G, G * 4, 4);
    k.packA(dPre * 4, dPreA * 4, N, G, G * 4, 4);
    gemmPacked(k, dPreA * 4, G * MR * 4, wihTP * 4, G * NR * 4, DX * 4, Ip * 4, N, G, I, false);
    scatterRows(f32, DX, Ip, I, sc, d, dense(grads.dx, I), dxInto !== null);
  }
  return grads;
}

/** One direction's weights. */
export interface LstmWeights {
  Wih: Float32Array;
  Whh: Float32Array;
  bias: Float32Array;
}

/** What a Bi-LSTM's forward pass keeps: each direction's saved state. */
export interface BiLstmSaved {
  forward: LstmDirectionSaved;
  /** The reverse direction's state, or a handle to it where a worker thread keeps it (lstmThreads.ts). */
  backward: LstmDirectionSaved | { handle: number };
}

/** Input projections of both directions (`InputProjection`). */
export interface BiLstmProjection {
  forward: InputProjection;
  backward: InputProjection;
}

export interface BiLstmGrads {
  dx: Float32Array | null;
  forward: LstmDirectionGrads;
  backward: LstmDirectionGrads;
}

/**
 * Both directions of a Bi-LSTM (paper E1) one after the other: h [B, T, 2H] with the forward
 * direction's h_t in the first H columns and the reverse one's in the last H, written in place (no
 * concatenation). `d.reverse` is ignored. A threaded backend runs the two directions at once instead
 * (lib/backend/threads.ts); this is its single-thread twin.
 */
export function lstmBidirectionalForward(x: Float32Array, fwd: LstmWeights, bwd: LstmWeights, d: LstmDirectionDims, keep: boolean, projection?: BiLstmProjection): { h: Float32Array; saved: BiLstmSaved | null } {
  const h = new Float32Array(d.B * d.T * 2 * d.H);
  const f = lstmDirectionForward(x, fwd.Wih, fwd.Whh, fwd.bias, { ...d, reverse: false }, keep, { data: h, rowStride: 2 * d.H, offset: 0 }, projection?.forward);
  const b = lstmDirectionForward(x, bwd.Wih, bwd.Whh, bwd.bias, { ...d, reverse: true }, keep, { data: h, rowStride: 2 * d.H, offset: d.H }, projection?.backward);
  return { h, saved: keep ? { forward: f.saved!, backward: b.saved! } : null };
}

/** Gradients of both directions from ∂L/∂h [B, T, 2H]; ∂L/∂x is the sum of the two directions'. */
export function lstmBidirectionalBackward(dh: Float32Array, saved: BiLstmSaved, x: Float32Array, fwd: LstmWeights, bwd: LstmWeights, d: LstmDirectionDims, needDx: boolean): BiLstmGrads {
  const dx = needDx ? new Float32Array(d.B * d.T * d.I) : null;
  if ('handle' in saved.backward) throw new Error('lstmBidirectionalBackward: saved state is from a threaded forward pass (LstmThreads)');
  const view = (offset: number): RowView => ({ data: dh, rowStride: 2 * d.H, offset });
  const forward = lstmDirectionBackward(view(0), saved.forward, x, fwd.Wih, fwd.Whh, { ...d, reverse: false }, dx ?? false);
  const backward = lstmDirectionBackward(view(d.H), saved.backward, x, bwd.Wih, bwd.Whh, { ...d, reverse: true }, dx ?? false);
  return { dx, forward, backward };
}
