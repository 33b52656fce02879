/** Stochastic gradient descent, optionally with classical (heavy-ball) or Nesterov momentum. */
import type { Variable } from '../autodiff/index.ts';
import type { FloatArray } from '../../kernels/cpu/index.ts';
import { Optimizer } from './optimizer.ts';

export interface SGDOptions {
  /** Momentum μ in [0, 1); 0 (default) is plain SGD and keeps no state. */
  momentum?: number;
  /** Use Nesterov's look-ahead form (needs momentum > 0). */
  nesterov?: boolean;
}

/**
 * Plain: p ← p − lr·g.
 * Momentum (heavy ball): v ← μ·v + g; p ← p − lr·v.
 * Nesterov: v ← μ·v + g; p ← p − lr·(g + μ·v), the PyTorch formulation, which evaluates the
 * momentum step one velocity ahead without a second gradient evaluation.
 *
 * The velocity accumulates raw gradients (no (1 − μ) damping), so the learning rate is the step
 * size per unit of steady-state gradient divided by (1 − μ), as in PyTorch and TF1.
 */
export class SGD extends Optimizer {
  readonly type = 'sgd';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(params: readonly Variable[], learningRate: number, options: SGDOptions = {}) {
    super(params, learningRate, ['velocity']);
    this.momentum = options.momentum ?? 0;
    this.nesterov = options.nesterov ?? false;
    if (!(this.momentum >= 0 && this.momentum < 1)) throw new Error(`SGD: momentum must be in [0, 1), got ${this.momentum}`);
    if (this.nesterov && this.momentum === 0) throw new Error('SGD: nesterov needs momentum > 0');
  }

  protected update(index: number, p: FloatArray, offset: number, g: FloatArray, size: number): void {
    const lr = this.learningRate, mu = this.momentum;
    if (mu === 0) {
      for (let j = 0; j < size; j++) p[offset + j] -= lr * g[j];
      return;
    }
    const v = this.slot('velocity', index);
    if (this.nesterov) {
      for (let j = 0; j < size; j++) {
        v[j] = mu * v[j] + g[j];
        p[offset + j] -= lr * (g[j] + mu * v[j]);
      }
    } else {
      for (let j = 0; j < size; j++) {
        v[j] = mu * v[j] + g[j];
        p[offset + j] -= lr * v[j];
      }
    }
  }
}
