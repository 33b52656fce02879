/** Adagrad (Duchi et al., 2011) with TF1's defaults. */
import type { Variable } from '../autodiff/index.ts';
import type { FloatArray } from '../../kernels/cpu/index.ts';
import { Optimizer } from './optimizer.ts';

export interface AdagradOptions {
  /** Starting value of every accumulator element; default 0.1 as TF1's `AdagradOptimizer`. Must be ≥ 0. */
  initialAccumulatorValue?: number;
  /** Added inside the square root; default 1e-10. */
  epsilon?: number;
}

/**
 * acc ← acc + g²;  p ← p − lr·g / √(acc + ε).
 *
 * TF1 has no ε: its positive initial accumulator already keeps the division finite. We put a tiny
 * ε inside the square root so that `initialAccumulatorValue: 0` stays safe too (an element whose
 * gradient has always been 0 gets 0/√ε = 0, not 0/0 = NaN). With the default accumulator of 0.1
 * the ε changes the step by a relative ~5e-10, so results match TF1 to float precision.
 */
export class Adagrad extends Optimizer {
  readonly type = 'adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(params: readonly Variable[], learningRate: number, options: AdagradOptions = {}) {
    super(params, learningRate, ['accumulator']);
    this.initialAccumulatorValue = options.initialAccumulatorValue ?? 0.1;
    this.epsilon = options.epsilon ?? 1e-10;
    if (!(this.initialAccumulatorValue >= 0) || !Number.isFinite(this.initialAccumulatorValue)) {
      throw new Error(`Adagrad: initialAccumulatorValue must be finite and ≥ 0, got ${this.initialAccumulatorValue}`);
    }
    if (!(this.epsilon > 0) || !Number.isFinite(this.epsilon)) throw new Error(`Adagrad: epsilon must be finite and > 0, got ${this.epsilon}`);
  }

  protected update(index: number, p: FloatArray, offset: number, g: FloatArray, size: number): void {
    const lr = this.learningRate, eps = this.epsilon;
    const acc = this.slot('accumulator', index, this.initialAccumulatorValue);
    for (let j = 0; j < size; j++) {
      acc[j] += g[j] * g[j];
      p[offset + j] -= (lr * g[j]) / Math.sqrt(acc[j] + eps);
    }
  }
}
