/**
 * `Optimizer`: the base every update rule (SGD, Adagrad, Adam) shares.
 *
 * The base owns what is the same for all of them: checking the parameters once, walking them on
 * each `step`, skipping those without a gradient, per-parameter step counts, lazily allocated
 * per-parameter state buffers ("slots", e.g. Adam's m and v) and checkpointing. A subclass only
 * writes `update`: one loop over one parameter's elements.
 *
 * Updates are written into `param.value.data` in place. That is why parameters must be contiguous:
 * a strided view would make `values()` hand back a copy and the update would silently go nowhere.
 * After the first step the loops allocate nothing: slots are created once and reused.
 */
import type { Variable } from '../autodiff/index.ts';
import { allocate } from '../tensor/index.ts';
import type { FloatArray } from '../../kernels/cpu/index.ts';

/**
 * A checkpoint of an optimizer: plain data plus typed arrays (copies, never the live buffers).
 * Hyper-parameters other than the learning rate are not saved: they belong to the constructor call.
 */
export interface OptimizerState {
  /** Which optimizer wrote it (`sgd`, `adagrad`, `adam`); `loadState` refuses a mismatch. */
  type: string;
  learningRate: number;
  /** How many updates each parameter has received (Adam's bias correction counts per parameter). */
  steps: number[];
  /** Per slot name, one buffer per parameter, or null where the slot was never needed yet. */
  slots: Record<string, (FloatArray | null)[]>;
}

/** Names a parameter in errors: its name when it has one, else its position in the list. */
export function describeParameter(p: Variable, index: number): string {
  return p.name ? `parameter '${p.name}'` : `parameter #${index}`;
}

export abstract class Optimizer {
  /** The parameters this optimizer updates, in the order given to the constructor. */
  readonly params: readonly Variable[];
  /** Short identifier stored in checkpoints. */
  abstract readonly type: string;
  private lr = 0;
  private readonly steps: number[];
  private readonly slots: Record<string, (FloatArray | null)[]> = {};

  /**
   * @param params trainable variables (each `requiresGrad`, contiguous, listed once)
   * @param learningRate initial step size (finite, ≥ 0); may be changed between steps
   * @param slotNames the per-parameter buffers the subclass keeps (fixed so checkpoints are checkable)
   */
  protected constructor(params: readonly Variable[], learningRate: number, slotNames: readonly string[]) {
    const seen = new Set<Variable>();
    params.forEach((p, i) => {
      if (!p.requiresGrad) throw new Error(`optimizer: ${describeParameter(p, i)} does not require a gradient (use parameter(), not constant())`);
      if (seen.has(p)) throw new Error(`optimizer: ${describeParameter(p, i)} is listed twice; it would be updated twice per step`);
      seen.add(p);
      assertContiguous(p, i);
    });
    this.params = [...params];
    this.learningRate = learningRate;
    this.steps = params.map(() => 0);
    for (const name of slotNames) this.slots[name] = params.map(() => null);
  }

  /** Step size used by the next `step()`; a schedule sets it between steps. */
  get learningRate(): number {
    return this.lr;
  }

  set learningRate(value: number) {
    // Checked here because a NaN learning rate from a bad schedule would poison every parameter.
    if (!Number.isFinite(value) || value < 0) throw new Error(`optimizer: learning rate must be finite and ≥ 0, got ${value}`);
    this.lr = value;
  }

  /** Applies one update to every parameter that has a gradient; parameters with `grad === null` are left alone. */
  step(): void {
    for (let i = 0; i < this.params.length; i++) {
      const p = this.params[i];
      if (p.grad === null) continue;
      // Re-checked every step: `p.value` is a mutable field and could have been replaced by a view.
      assertContiguous(p, i);
      if (p.grad.size !== p.value.size) {
        throw new Error(`optimizer: gradient of ${describeParameter(p, i)} has ${p.grad.size} elements, the parameter has ${p.value.size}`);
      }
      this.steps[i]++;
      // `values()` of a contiguous gradient is its own storage (no copy) in the common case.
      this.update(i, p.value.data, p.value.offset, p.grad.values(), p.value.size, this.steps[i]);
    }
  }

  /** Clears every parameter's gradient (gradients accumulate across `backward` calls otherwise). */
  zeroGrad(): void {
    for (const p of this.params) p.zeroGrad();
  }

  /** A copy of everything needed to continue training exactly as this optimizer would. */
  state(): OptimizerState {
    const slots: Record<string, (FloatArray | null)[]> = {};
    for (const [name, buffers] of Object.entries(this.slots)) slots[name] = buffers.map((b) => (b === null ? null : b.slice()));
    return { type: this.type, learningRate: this.lr, steps: [...this.steps], slots };
  }

  /** Restores a checkpoint from `state()` of the same optimizer type over parameters of the same shapes. */
  loadState(state: OptimizerState): void {
    if (state.type !== this.type) throw new Error(`loadState: checkpoint is for '${state.type}', this optimizer is '${this.type}'`);
    const n = this.params.length;
    if (state.steps.length !== n) throw new Error(`loadState: checkpoint has ${state.steps.length} parameters, this optimizer has ${n}`);
    const names = Object.keys(this.slots).sort().join(',');
    if (Object.keys(state.slots).sort().join(',') !== names) {
      throw new Error(`loadState: checkpoint slots [${Object.keys(state.slots).join(', ')}] differ from [${names}]`);
    }
    // Validate everything before touching anything, so a bad checkpoint leaves the optimizer intact.
    for (const buffers of Object.values(state.slots)) {
      if (buffers.length !== n) throw new Error(`loadState: a slot has ${buffers.length} buffers for ${n} parameters`);
      buffers.forEach((b, i) => {
        if (b !== null && b.length !== this.params[i].value.size) {
          throw new Error(`loadState: buffer of ${b.length} elements does not match ${describeParameter(this.params[i], i)} of ${this.params[i].value.size}`);
        }
      });
    }
    this.learningRate = state.learningRate;
    state.steps.forEach((s, i) => (this.steps[i] = s));
    for (const [name, buffers] of Object.entries(state.slots)) {
      this.slots[name] = buffers.map((b, i) => {
        if (b === null) return null;
        const copy = allocate(this.params[i].value.dtype, b.length);
        copy.set(b);
        return copy;
      });
    }
  }

  /**
   * The slot `name` of parameter `index`, created on first use filled with `init` and in the
   * parameter's dtype. Buffers live as long as the optimizer, so steady-state steps allocate nothing.
   */
  protected slot(name: string, index: number, init = 0): FloatArray {
    const buffers = this.slots[name];
    if (buffers === undefined) throw new Error(`optimizer: unknown slot '${name}'`);
    const p = this.params[index];
    let b = buffers[index];
    if (b === null) {
      b = allocate(p.value.dtype, p.value.size);
      if (init !== 0) b.fill(init);
      buffers[index] = b;
    } else if (b.length !== p.value.size) {
      throw new Error(`optimizer: ${describeParameter(p, index)} now has ${p.value.size} elements, its '${name}' state has ${b.length}`);
    }
    return b;
  }

  /**
   * Makes `buffer` the slot `name` of parameter `index`, keeping the current contents if there are
   * any (an optimizer whose state lives elsewhere, e.g. in a wasm kernel's memory, binds its views).
   */
  protected bindSlot(name: string, index: number, buffer: FloatArray): void {
    const buffers = this.slots[name];
    if (buffers === undefined) throw new Error(`optimizer: unknown slot '${name}'`);
    if (buffers[index] === buffer) return;
    if (buffer.length !== this.params[index].value.size) throw new Error(`optimizer: slot '${name}' of ${buffer.length} elements for ${describeParameter(this.params[index], index)}`);
    const old = buffers[index];
    if (old !== null) buffer.set(old);
    else buffer.fill(0);
    buffers[index] = buffer;
  }

  /**
   * Updates one parameter in place: elements `param[offset + j]` for j < size, from `grad[j]`.
   * `t` is this parameter's update count including this one (1 on its first update).
   */
  protected abstract update(index: number, param: FloatArray, offset: number, grad: FloatArray, size: number, t: number): void;
}

function assertContiguous(p: Variable, index: number): void {
  if (!p.value.isContiguous()) {
    throw new Error(`optimizer: ${describeParameter(p, index)} of shape [${p.value.shape.join(', ')}] is not contiguous; in-place updates need contiguous storage (pass value.contiguous())`);
  }
}
