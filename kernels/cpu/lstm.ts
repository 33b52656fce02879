/**
 * LSTM kernels. The cell kernels are element-wise over one time step of a batch (what a GPU.js twin
 * implements texel by texel); the sequence kernels run one direction over a whole padded batch,
 * calling the cell kernels and `matmul` for the recurrent products, so a Bi-LSTM is two kernel calls
 * forward and two backward instead of thousands of tape nodes. The matmul and the cells are
 * parameters so that a backend can hand in its own (the wasm SIMD product of kernels/wasm, the
 * GPU.js cells of kernels/gpu) while this file stays plain TypeScript.
 *
 * Layout. Gates are stored in the order i, f, g, o, each H wide, so a preactivation row is 4H:
 *   i = σ(a_i)  f = σ(a_f)  g = tanh(a_g)  o = σ(a_o)
 *   c_t = f ⊙ c_{t−1} + i ⊙ g          h_t = o ⊙ tanh(c_t)
 * Sequences are [B, T, ·] row-major; sentence b has `lengths[b]` real steps. A forward direction reads
 * t = 0..L−1, a reverse one t = L−1..0. Padding positions get h = c = 0 and receive no gradient.
 */
import { type FloatArray, allocLike } from './types.ts';
import { matmul as jsMatmul, type MatmulFn } from './matmul.ts';

function sigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/**
 * One time step for `rows` rows: reads preactivations [rows, 4H] and c_{t−1} [rows, H], writes the
 * activated gates [rows, 4H] (in place over the preactivations is allowed), c_t and h_t [rows, H].
 */
export function lstmCellForward(pre: FloatArray, cPrev: FloatArray, H: number, rows: number, gates: FloatArray, c: FloatArray, h: FloatArray): void {
  for (let r = 0; r < rows; r++) {
    const g0 = r * 4 * H, s0 = r * H;
    for (let j = 0; j < H; j++) {
      const ig = sigmoid(pre[g0 + j]);
      const fg = sigmoid(pre[g0 + H + j]);
      const gg = Math.tanh(pre[g0 + 2 * H + j]);
      const og = sigmoid(pre[g0 + 3 * H + j]);
      gates[g0 + j] = ig; gates[g0 + H + j] = fg; gates[g0 + 2 * H + j] = gg; gates[g0 + 3 * H + j] = og;
      const ct = fg * cPrev[s0 + j] + ig * gg;
      c[s0 + j] = ct;
      h[s0 + j] = og * Math.tanh(ct);
    }
  }
}

/**
 * Backward of one time step. Given dh_t (output plus recurrent) and dc coming from step t+1, writes
 * the preactivation gradient dPre [rows, 4H] and the cell gradient passed on to step t−1.
 */
export function lstmCellBackward(gates: FloatArray, c: FloatArray, cPrev: FloatArray, dh: FloatArray, dcNext: FloatArray, H: number, rows: number, dPre: FloatArray, dcPrev: FloatArray): void {
  for (let r = 0; r < rows; r++) {
    const g0 = r * 4 * H, s0 = r * H;
    for (let j = 0; j < H; j++) {
      const ig = gates[g0 + j], fg = gates[g0 + H + j], gg = gates[g0 + 2 * H + j], og = gates[g0 + 3 * H + j];
      const tc = Math.tanh(c[s0 + j]);
      const dhv = dh[s0 + j];
      const dc = dcNext[s0 + j] + dhv * og * (1 - tc * tc);
      dPre[g0 + j] = dc * gg * ig * (1 - ig);
      dPre[g0 + H + j] = dc * cPrev[s0 + j] * fg * (1 - fg);
      dPre[g0 + 2 * H + j] = dc * ig * (1 - gg * gg);
      dPre[g0 + 3 * H + j] = dhv * tc * og * (1 - og);
      dcPrev[s0 + j] = dc * fg;
    }
  }
}

/** What the forward pass keeps for the backward pass (all [B, T, ·]). */
export interface LstmSaved {
  gates: FloatArray; // [B, T, 4H] activated gates
  c: FloatArray; // [B, T, H]
  h: FloatArray; // [B, T, H], also the output
}

/** Shape of a sequence call. */
export interface LstmDims {
  B: number;
  T: number;
  H: number;
  lengths: Int32Array;
  reverse: boolean;
}

/** The two cell kernels a sequence driver calls; a backend may hand in its own (kernels/gpu). */
export interface LstmCells {
  forward: typeof lstmCellForward;
  backward: typeof lstmCellBackward;
}

const CPU_CELLS: LstmCells = { forward: lstmCellForward, backward: lstmCellBackward };

/** Time index that row b processes at step s, or −1 when the row is finished (padding). */
function timeAt(s: number, length: number, reverse: boolean): number {
  if (s >= length) return -1;
  return reverse ? length - 1 - s : s;
}

/**
 * Runs one direction over a batch. `xProj` [B, T, 4H] holds x_t·W_ih + b for every position (one big
 * matmul done by the caller); this adds h_{t−1}·W_hh step by step.
 */
export function lstmSequenceForward(xProj: FloatArray, Whh: FloatArray, d: LstmDims, matmul: MatmulFn = jsMatmul, cells: LstmCells = CPU_CELLS): LstmSaved {
  const { B, T, H, lengths, reverse } = d;
  const G = 4 * H;
  const saved: LstmSaved = { gates: allocLike(xProj, B * T * G), c: allocLike(xProj, B * T * H), h: allocLike(xProj, B * T * H) };
  const hPrev = allocLike(xProj, B * H), cPrev = allocLike(xProj, B * H);
  const pre = allocLike(xProj, B * G), gates = allocLike(xProj, B * G);
  const cNew = allocLike(xProj, B * H), hNew = allocLike(xProj, B * H);
  // W_hhᵀ once per call, so each step's product reads it in place instead of repacking it.
  const WhhT = allocLike(xProj, H * G);
  for (let r = 0; r < H; r++) for (let j = 0; j < G; j++) WhhT[j * H + r] = Whh[r * G + j];
  let steps = 0;
  for (let b = 0; b < B; b++) steps = Math.max(steps, lengths[b]);
  for (let s = 0; s < steps; s++) {
    // pre = h_{t−1}·W_hh, then add the input projection of each row's current position.
    matmul(hPrev, WhhT, pre, { m: B, k: H, n: G, transB: true });
    for (let b = 0; b < B; b++) {
      const t = timeAt(s, lengths[b], reverse);
      const src = (b * T + (t < 0 ? 0 : t)) * G;
      for (let j = 0; j < G; j++) pre[b * G + j] += t < 0 ? 0 : xProj[src + j];
    }
    cells.forward(pre, cPrev, H, B, gates, cNew, hNew);
    for (let b = 0; b < B; b++) {
      const t = timeAt(s, lengths[b], reverse);
      if (t < 0) continue; // finished rows keep their (unused) state; their outputs stay 0
      saved.gates.set(gates.subarray(b * G, (b + 1) * G), (b * T + t) * G);
      saved.c.set(cNew.subarray(b * H, (b + 1) * H), (b * T + t) * H);
      saved.h.set(hNew.subarray(b * H, (b + 1) * H), (b * T + t) * H);
      hPrev.set(hNew.subarray(b * H, (b + 1) * H), b * H);
      cPrev.set(cNew.subarray(b * H, (b + 1) * H), b * H);
    }
  }
  return saved;
}

/**
 * Backpropagation through time for one direction. `dh` [B, T, H] is ∂loss/∂h from above. Returns
 * ∂loss/∂xProj [B, T, 4H] (the caller turns it into dX, dW_ih, db with matmuls) and accumulates
 * ∂loss/∂W_hh into `dWhh` [H, 4H].
 */
export function lstmSequenceBackward(dh: FloatArray, saved: LstmSaved, Whh: FloatArray, d: LstmDims, dWhh: FloatArray, matmul: MatmulFn = jsMatmul, cells: LstmCells = CPU_CELLS): FloatArray {
  const { B, T, H, lengths, reverse } = d;
  const G = 4 * H;
  const dXProj = allocLike(dh, B * T * G);
  const dhStep = allocLike(dh, B * H), dhRec = allocLike(dh, B * H);
  const dcRec = allocLike(dh, B * H), dcPrev = allocLike(dh, B * H);
  const gates = allocLike(dh, B * G), c = allocLike(dh, B * H), cPrev = allocLike(dh, B * H), hPrev = allocLike(dh, B * H);
  const dPre = allocLike(dh, B * G);
  let steps = 0;
  for (let b = 0; b < B; b++) steps = Math.max(steps, lengths[b]);
  for (let s = steps - 1; s >= 0; s--) {
    // Gather this step's saved state per row; rows not active at this step contribute zeros.
    for (let b = 0; b < B; b++) {
      const t = timeAt(s, lengths[b], reverse);
      if (t < 0) {
        gates.fill(0, b * G, (b + 1) * G);
        c.fill(0, b * H, (b + 1) * H); cPrev.fill(0, b * H, (b + 1) * H); hPrev.fill(0, b * H, (b + 1) * H);
        dhStep.fill(0, b * H, (b + 1) * H);
        continue;
      }
      const tPrev = s === 0 ? -1 : timeAt(s - 1, lengths[b], reverse);
      gates.set(saved.gates.subarray((b * T + t) * G, (b * T + t + 1) * G), b * G);
      c.set(saved.c.subarray((b * T + t) * H, (b * T + t + 1) * H), b * H);
      if (tPrev < 0) {
        cPrev.fill(0, b * H, (b + 1) * H);
        hPrev.fill(0, b * H, (b + 1) * H);
      } else {
        cPrev.set(saved.c.subarray((b * T + tPrev) * H, (b * T + tPrev + 1) * H), b * H);
        hPrev.set(saved.h.subarray((b * T + tPrev) * H, (b * T + tPrev + 1) * H), b * H);
      }
      for (let j = 0; j < H; j++) dhStep[b * H + j] = dh[(b * T + t) * H + j] + dhRec[b * H + j];
    }
    cells.backward(gates, c, cPrev, dhStep, dcRec, H, B, dPre, dcPrev);
    for (let b = 0; b < B; b++) {
      const t = timeAt(s, lengths[b], reverse);
      if (t < 0) {
        // Inactive rows must not leak into the products below.
        dPre.fill(0, b * G, (b + 1) * G);
        dcPrev.fill(0, b * H, (b + 1) * H);
        continue;
      }
      dXProj.set(dPre.subarray(b * G, (b + 1) * G), (b * T + t) * G);
    }
    dcRec.set(dcPrev);
    // dh_{t−1} = dPre·W_hhᵀ ; dW_hh += h_{t−1}ᵀ·dPre
    matmul(dPre, Whh, dhRec, { m: B, k: G, n: H, transB: true });
    matmul(hPrev, dPre, dWhh, { m: H, k: B, n: G, transA: true, accumulate: true });
  }
  return dXProj;
}
