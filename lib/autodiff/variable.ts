/**
 * `Variable`: a node of the computation graph. It holds a value, the gradient of the loss with
 * respect to that value (filled by `backward`), the variables it was computed from, and the
 * closure that turns its own gradient into its parents' gradients (the op's vector-Jacobian product).
 *
 * Leaves are either parameters (`requiresGrad`) or constants. An op output requires a gradient
 * exactly when one of its inputs does, and only then keeps its parents and closure: constants and
 * code under `noGrad` build no graph at all.
 */
import { Tensor, zeros } from '../tensor/index.ts';
import type { FloatArray } from '../../kernels/cpu/types.ts';
import { getBackend } from '../backend/index.ts';

let nextId = 0;

export class Variable {
  /** Unique, increasing id; gives the tape a deterministic order. */
  readonly id = nextId++;
  value: Tensor;
  /** ∂loss/∂value after `backward`, contiguous, same shape as `value`; null before. */
  grad: Tensor | null = null;
  /** The buffer `gradAccumulator` allocated (only it is recycled by `zeroGrad`, and only while it is `grad`). */
  private ownedGrad: Tensor | null = null;
  private spareGrad: Tensor | null = null;
  readonly requiresGrad: boolean;
  /** The op that produced this variable (`leaf` for inputs and parameters); named in error reports. */
  readonly op: string;
  /** Optional human name, e.g. the parameter path `encoder.lstm.forward.W`. */
  name: string | undefined;
  parents: Variable[];
  backwardFn: ((grad: Tensor) => void) | null;

  constructor(value: Tensor, options: { requiresGrad?: boolean; name?: string; op?: string; parents?: Variable[]; backwardFn?: ((grad: Tensor) => void) | null } = {}) {
    this.value = value;
    this.requiresGrad = options.requiresGrad ?? false;
    this.name = options.name;
    this.op = options.op ?? 'leaf';
    this.parents = options.parents ?? [];
    this.backwardFn = options.backwardFn ?? null;
  }

  get shape(): readonly number[] {
    return this.value.shape;
  }

  get isLeaf(): boolean {
    return this.op === 'leaf';
  }

  /**
   * Adds `g` into this variable's gradient. The first contribution is copied (the caller may keep
   * using `g`, or it may be a view of another gradient); later ones are summed in place. This is
   * what makes a value used twice receive the sum of both paths' gradients.
   */
  addGrad(g: Tensor): void {
    if (!this.requiresGrad) return;
    if (g.shape.length !== this.value.shape.length || g.shape.some((d, i) => d !== this.value.shape[i])) {
      throw new Error(`gradient of shape [${g.shape.join(', ')}] does not match ${this.describe()} of shape [${this.value.shape.join(', ')}]`);
    }
    if (this.grad === null) {
      this.grad = g.clone();
      if (this.grad.dtype !== this.value.dtype) this.grad = this.grad.cast(this.value.dtype);
      return;
    }
    getBackend().addInto(this.grad.data, g.values());
  }

  /**
   * Like `addGrad` for a gradient the caller has just allocated and will not touch again: the first
   * contribution is adopted instead of copied (the embedding table's gradient is megabytes a step).
   */
  adoptGrad(g: Tensor): void {
    if (this.grad === null && this.requiresGrad && g.dtype === this.value.dtype && g.isContiguous() && g.offset === 0 && g.data.length === g.size
      && g.shape.length === this.value.shape.length && g.shape.every((d, i) => d === this.value.shape[i])) {
      this.grad = g;
      return;
    }
    this.addGrad(g);
  }

  /**
   * This variable's own gradient storage, created as zeros on first use, for an op that adds a sparse
   * contribution in place (gather's scatter-add touches a few rows of a large table: a zeroed
   * temporary of the whole table and a second pass to add it would cost far more than the rows).
   */
  gradAccumulator(): FloatArray {
    if (this.grad === null) {
      // Reuse the buffer this method allocated before the last zeroGrad: the embedding table's
      // gradient is megabytes, and a fresh one each step cost its allocation, page faults and
      // garbage collection (~6% of a tagger step), where zeroing it costs ~0.1 ms.
      const spare = this.spareGrad;
      this.spareGrad = null;
      if (spare !== null) spare.data.fill(0);
      this.grad = spare ?? zeros(this.value.shape, this.value.dtype);
      this.ownedGrad = this.grad;
    }
    return this.grad.data;
  }

  /**
   * Drops the gradient (optimizers call this before a backward pass). A buffer that
   * `gradAccumulator` allocated is kept for its next call: read gradients before this, or copy them.
   */
  zeroGrad(): void {
    // A tensor someone else assigned to `grad` is never reused: only the one made here.
    this.spareGrad = this.grad !== null && this.grad === this.ownedGrad ? this.grad : null;
    this.ownedGrad = null;
    this.grad = null;
  }

  /** "op 'matmul'" or "parameter 'crf.transitions'", for error messages. */
  describe(): string {
    if (this.name) return `${this.isLeaf ? 'parameter' : 'output of op'} '${this.name}'`;
    return this.isLeaf ? 'leaf variable' : `output of op '${this.op}'`;
  }
}

/** A trainable leaf: a parameter whose gradient backward will fill. */
export function parameter(value: Tensor, name?: string): Variable {
  return new Variable(value, { requiresGrad: true, name });
}

/** A constant leaf: no gradient flows into it. */
export function constant(value: Tensor, name?: string): Variable {
  return new Variable(value, { requiresGrad: false, name });
}
