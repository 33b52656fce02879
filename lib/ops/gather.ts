/**
 * gather: embedding lookup. Rows of a [V, D] table picked by integer ids; the output has the ids'
 * shape plus D. Backward scatter-adds into the table's gradient, so a row picked twice gets both.
 */
import { Tensor, allocate } from '../tensor/index.ts';
import { type Variable, recordOp } from '../autodiff/index.ts';
import { getBackend } from '../backend/index.ts';
import { type Operand, asVariable, fmtShape } from './operand.ts';

/**
 * table[ids]. `ids` are integers in [0, V); `idsShape` (default [ids.length]) shapes the result
 * as [...idsShape, D]. Out-of-range ids throw, naming the first offender.
 */
export function gather(table: Operand, ids: Int32Array | readonly number[], idsShape?: readonly number[]): Variable {
  const t = asVariable(table);
  if (t.shape.length !== 2) throw new Error(`gather: table must be 2-D [rows, dim], got ${fmtShape(t.shape)}`);
  const [rows, dim] = t.shape;
  const idx = ids instanceof Int32Array ? ids : Int32Array.from(ids);
  for (let i = 0; i < idx.length; i++) {
    if (idx[i] < 0 || idx[i] >= rows || !Number.isInteger(ids[i])) {
      throw new Error(`gather: id ${ids[i]} at position ${i} is outside the table's ${rows} rows`);
    }
  }
  const shape = idsShape ?? [idx.length];
  if (shape.reduce((p, d) => p * d, 1) !== idx.length) throw new Error(`gather: ${idx.length} ids do not fill shape ${fmtShape(shape)}`);
  const out = allocate(t.value.dtype, idx.length * dim);
  getBackend().gatherRows(t.value.values(), dim, idx, out);
  return recordOp('gather', new Tensor(out, [...shape, dim]), [t], (g) => {
    if (!t.requiresGrad) return;
    // Scatter-add straight into the table's gradient: the rows touched, nothing else.
    getBackend().scatterAddRows(g.values(), dim, idx, t.gradAccumulator());
  });
}
