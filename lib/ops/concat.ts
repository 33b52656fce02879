/** concat along an existing axis, stack along a new one. Backward hands each input its slice. */
import { Tensor, allocate, resultDType } from '../tensor/index.ts';
import { type Variable, recordOp } from '../autodiff/index.ts';
import { getBackend } from '../backend/index.ts';
import { type Operand, asVariable, fmtShape, normalizeAxis } from './operand.ts';
import { reshape } from './shape.ts';

/** Joins tensors along `axis`; all other dimensions must agree. */
export function concat(xs: readonly Operand[], axis: number): Variable {
  if (xs.length === 0) throw new Error('concat: needs at least one input');
  const vs = xs.map((x) => asVariable(x));
  const first = vs[0].shape;
  const ax = normalizeAxis('concat', axis, first);
  for (const v of vs) {
    if (v.shape.length !== first.length || v.shape.some((d, i) => i !== ax && d !== first[i])) {
      throw new Error(`concat: shapes ${vs.map((u) => fmtShape(u.shape)).join(' and ')} differ outside axis ${ax}`);
    }
  }
  const shape = [...first];
  shape[ax] = vs.reduce((s, v) => s + v.shape[ax], 0);
  const out = new Tensor(allocate(resultDType(...vs.map((v) => v.value)), shape.reduce((p, d) => p * d, 1)), shape);
  const backend = getBackend();
  const begins: number[] = [];
  let at = 0;
  for (const v of vs) {
    begins.push(at);
    const begin = shape.map((_, i) => (i === ax ? at : 0));
    backend.assignStrided(out.slice(begin, v.shape), v.value.values());
    at += v.shape[ax];
  }
  return recordOp('concat', out, vs, (g) => {
    vs.forEach((v, j) => {
      if (!v.requiresGrad) return;
      const begin = shape.map((_, i) => (i === ax ? begins[j] : 0));
      v.addGrad(g.slice(begin, v.shape));
    });
  });
}

/** Stacks same-shape tensors along a new axis `axis`. */
export function stack(xs: readonly Operand[], axis = 0): Variable {
  if (xs.length === 0) throw new Error('stack: needs at least one input');
  const vs = xs.map((x) => asVariable(x));
  const shape = vs[0].shape;
  for (const v of vs) {
    if (v.shape.length !== shape.length || v.shape.some((d, i) => d !== shape[i])) {
      throw new Error(`stack: shapes ${vs.map((u) => fmtShape(u.shape)).join(' and ')} must all be equal`);
    }
  }
  const ax = axis < 0 ? axis + shape.length + 1 : axis;
  if (!Number.isInteger(ax) || ax < 0 || ax > shape.length) throw new Error(`stack: axis ${axis} is out of range for inputs of shape ${fmtShape(shape)}`);
  const expanded = [...shape.slice(0, ax), 1, ...shape.slice(ax)];
  return concat(vs.map((v) => reshape(v, expanded)), ax);
}
