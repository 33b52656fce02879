/** sum and mean over any set of axes (default: all), with or without kept dimensions. */
import { Tensor, allocate } from '../tensor/index.ts';
import { type Variable, recordOp } from '../autodiff/index.ts';
import { getBackend } from '../backend/index.ts';
import { type Operand, asVariable, normalizeAxis } from './operand.ts';

function reduceAxes(op: string, shape: readonly number[], axes?: number | readonly number[]): Set<number> {
  if (axes === undefined) return new Set(shape.map((_, i) => i));
  const list = typeof axes === 'number' ? [axes] : axes;
  return new Set(list.map((a) => normalizeAxis(op, a, shape)));
}

function sumImpl(op: string, x: Operand, axes: number | readonly number[] | undefined, keepDims: boolean, scale: (count: number) => number): Variable {
  const a = asVariable(x);
  const reduced = reduceAxes(op, a.shape, axes);
  const kept = a.shape.map((d, i) => (reduced.has(i) ? 1 : d));
  const outShape = keepDims ? kept : a.shape.filter((_, i) => !reduced.has(i));
  const count = a.shape.reduce((p, d, i) => (reduced.has(i) ? p * d : p), 1);
  const out = allocate(a.value.dtype, kept.reduce((p, d) => p * d, 1));
  const backend = getBackend();
  backend.sumToShape(a.value, kept, out);
  const s = scale(count);
  if (s !== 1) backend.scaleInPlace(out, s);
  return recordOp(op, new Tensor(out, outShape), [a], (g) => {
    // Every input element contributed once (times s) to its output cell.
    const spread = g.reshape(kept).broadcastTo(a.shape).clone();
    if (s !== 1) backend.scaleInPlace(spread.data, s);
    a.addGrad(spread);
  });
}

/** Σ over `axes` (all when omitted). */
export function sum(x: Operand, axes?: number | readonly number[], keepDims = false): Variable {
  return sumImpl('sum', x, axes, keepDims, () => 1);
}

/** Mean over `axes` (all when omitted). */
export function mean(x: Operand, axes?: number | readonly number[], keepDims = false): Variable {
  return sumImpl('mean', x, axes, keepDims, (count) => 1 / count);
}
