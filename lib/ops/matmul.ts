/**
 * Matrix product. 2-D: [m, k] · [k, n]. Batched: [B, m, k] · [B, k, n], or [B, m, k] · [k, n] (a
 * shared right operand, as when one weight matrix projects every position of a batch).
 * Backward: dA = dC · Bᵀ, dB = Aᵀ · dC, done by the same kernel with transposition flags.
 */
import { Tensor, allocate, resultDType } from '../tensor/index.ts';
import { type Variable, recordOp } from '../autodiff/index.ts';
import { getBackend } from '../backend/index.ts';
import { type Operand, asVariable, fmtShape } from './operand.ts';

/** a · b (see the file comment for the accepted shapes). */
export function matmul(x: Operand, y: Operand): Variable {
  const a = asVariable(x), b = asVariable(y);
  const as = a.shape, bs = b.shape;
  const mismatch = (): Error => new Error(`matmul: shapes ${fmtShape(as)} and ${fmtShape(bs)} are not compatible (need [m, k]·[k, n], [B, m, k]·[B, k, n] or [B, m, k]·[k, n])`);
  if (as.length === 3 && bs.length === 2) {
    // Fold the batch into rows: one big product instead of B small ones.
    if (as[2] !== bs[0]) throw mismatch();
    const flat = matmul2d(a.value.reshape([as[0] * as[1], as[2]]), b.value);
    const out = new Tensor(flat.data, [as[0], as[1], bs[1]]);
    return recordOp('matmul', out, [a, b], (g) => {
      const g2 = g.reshape([as[0] * as[1], bs[1]]);
      if (a.requiresGrad) a.addGrad(matmul2d(g2, b.value, false, true).reshape(as));
      if (b.requiresGrad) b.addGrad(matmul2d(a.value.reshape([as[0] * as[1], as[2]]), g2, true, false));
    });
  }
  if (as.length === 2 && bs.length === 2) {
    if (as[1] !== bs[0]) throw mismatch();
    const out = matmul2d(a.value, b.value);
    return recordOp('matmul', out, [a, b], (g) => {
      if (a.requiresGrad) a.addGrad(matmul2d(g, b.value, false, true));
      if (b.requiresGrad) b.addGrad(matmul2d(a.value, g, true, false));
    });
  }
  if (as.length === 3 && bs.length === 3) {
    if (as[0] !== bs[0] || as[2] !== bs[1]) throw mismatch();
    const out = batched(a.value, b.value, false, false);
    return recordOp('matmul', out, [a, b], (g) => {
      if (a.requiresGrad) a.addGrad(batched(g, b.value, false, true));
      if (b.requiresGrad) b.addGrad(batched(a.value, g, true, false));
    });
  }
  throw mismatch();
}

/** op(a) · op(b) for 2-D tensors, flags as in the kernel. */
function matmul2d(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  const m = transA ? a.shape[1] : a.shape[0];
  const k = transA ? a.shape[0] : a.shape[1];
  const n = transB ? b.shape[0] : b.shape[1];
  const out = allocate(resultDType(a, b), m * n);
  getBackend().matmul(a.values(), b.values(), out, { m, k, n, transA, transB });
  return new Tensor(out, [m, n]);
}

function batched(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  const B = a.shape[0];
  const m = transA ? a.shape[2] : a.shape[1];
  const k = transA ? a.shape[1] : a.shape[2];
  const n = transB ? b.shape[1] : b.shape[2];
  const av = a.values(), bv = b.values();
  const out = allocate(resultDType(a, b), B * m * n);
  const backend = getBackend();
  for (let i = 0; i < B; i++) {
    backend.matmul(av, bv, out, { m, k, n, transA, transB, aOffset: i * m * k, bOffset: i * k * n, outOffset: i * m * n });
  }
  return new Tensor(out, [B, m, n]);
}
