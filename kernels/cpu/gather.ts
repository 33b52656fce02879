/**
 * Row gather (embedding lookup) and its adjoint, scatter-add. A table is [rows, dim] contiguous.
 */
import { type FloatArray } from './types.ts';

/** out[i, :] = table[ids[i], :]. Ids must already be validated to lie in [0, rows). */
export function gatherRows(table: FloatArray, dim: number, ids: Int32Array, out: FloatArray): void {
  for (let i = 0; i < ids.length; i++) {
    const src = ids[i] * dim;
    out.set(table.subarray(src, src + dim), i * dim);
  }
}

/** grad[ids[i], :] += dOut[i, :]. A row used twice receives both contributions. */
export function scatterAddRows(dOut: FloatArray, dim: number, ids: Int32Array, grad: FloatArray): void {
  for (let i = 0; i < ids.length; i++) {
    const dst = ids[i] * dim, src = i * dim;
    for (let d = 0; d < dim; d++) grad[dst + d] += dOut[src + d];
  }
}
