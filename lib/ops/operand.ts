/**
 * What ops accept and the small helpers they share: operands may be variables, plain tensors
 * (constants), and for arithmetic plain numbers; shapes are checked here with errors that name the
 * op and the shapes involved.
 */
import { Tensor, scalar, allocate, type DType } from '../tensor/index.ts';
import { Variable, constant } from '../autodiff/index.ts';
import { getBackend } from '../backend/index.ts';

export type Operand = Variable | Tensor;

/** Wraps a tensor as a constant variable; passes variables through. */
export function asVariable(x: Operand | number, dtype: DType = 'float32'): Variable {
  if (x instanceof Variable) return x;
  if (x instanceof Tensor) return constant(x);
  return constant(scalar(x, dtype));
}

export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Numpy broadcasting of two shapes; throws naming the op and both shapes when incompatible. */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast together`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Sums a gradient of a broadcast result back onto the operand's shape (the VJP of broadcasting).
 * Returns `g` itself when no axis was broadcast.
 */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const lead = g.shape.length - shape.length;
  const kept = g.shape.map((d, i) => (i < lead ? 1 : shape[i - lead]));
  const out = allocate(g.dtype, kept.reduce((p, d) => p * d, 1));
  getBackend().sumToShape(g, kept, out);
  return new Tensor(out, shape);
}

/** Resolves a possibly negative axis against a rank; throws naming the op. */
export function normalizeAxis(op: string, axis: number, shape: readonly number[]): number {
  const rank = shape.length;
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new Error(`${op}: axis ${axis} is out of range for shape ${fmtShape(shape)}`);
  }
  return a;
}

/** Splits a shape around `axis` into [outer, n, inner] sizes for the axis kernels. */
export function splitAtAxis(shape: readonly number[], axis: number): { outer: number; n: number; inner: number } {
  let outer = 1, inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  return { outer, n: shape[axis], inner };
}

/** The shape with `axis` removed, or set to 1 when keeping dims. */
export function reducedShape(shape: readonly number[], axis: number, keepDims: boolean): number[] {
  return keepDims ? shape.map((d, i) => (i === axis ? 1 : d)) : shape.filter((_, i) => i !== axis);
}
