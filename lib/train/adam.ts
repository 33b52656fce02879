/** Adam (Kingma & Ba, 2015) with bias correction. */
import type { Variable } from '../autodiff/index.ts';
import type { FloatArray } from '../../kernels/cpu/index.ts';
import { Optimizer } from './optimizer.ts';
import { WasmAdamKernel, wasmAdamAvailable } from '../../kernels/wasm/adam.ts';

export interface AdamOptions {
  /** Decay of the first-moment average; default 0.9. */
  beta1?: number;
  /** Decay of the second-moment average; default 0.999. */
  beta2?: number;
  /** Added to √v̂; default 1e-8. */
  epsilon?: number;
}

/**
 * m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  m̂ = m/(1−β₁ᵗ);  v̂ = v/(1−β₂ᵗ);  p ← p − lr·m̂/(√v̂ + ε).
 *
 * This is the paper's Algorithm 1 (and PyTorch's form). TF1 instead adds ε to the uncorrected √v,
 * which differs only while √v is comparable to ε. `t` counts this parameter's own updates, so a
 * parameter that received no gradient on some steps (e.g. a source-only layer on target batches)
 * still gets the right bias correction when it is finally updated.
 */
export class Adam extends Optimizer {
  readonly type = 'adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(params: readonly Variable[], learningRate: number, options: AdamOptions = {}) {
    super(params, learningRate, ['m', 'v']);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    for (const [name, b] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) {
      if (!(b >= 0 && b < 1)) throw new Error(`Adam: ${name} must be in [0, 1), got ${b}`);
    }
    if (!(this.epsilon > 0) || !Number.isFinite(this.epsilon)) throw new Error(`Adam: epsilon must be finite and > 0, got ${this.epsilon}`);
  }

  /** The SIMD kernel holding m and v of float32 parameters (null: unavailable, or float64 parameters). */
  private kernel: WasmAdamKernel | null | undefined;

  private simdKernel(): WasmAdamKernel | null {
    if (this.kernel === undefined) {
      const allFloat32 = this.params.every((p) => p.value.dtype === 'float32');
      this.kernel = allFloat32 && wasmAdamAvailable() ? new WasmAdamKernel(this.params.map((p) => p.value.size)) : null;
    }
    return this.kernel;
  }

  protected update(index: number, p: FloatArray, offset: number, g: FloatArray, size: number, t: number): void {
    const b1 = this.beta1, b2 = this.beta2, eps = this.epsilon;
    const c1 = 1 - Math.pow(b1, t), c2 = 1 - Math.pow(b2, t);
    const kernel = this.simdKernel();
    if (kernel && p instanceof Float32Array && g instanceof Float32Array && size === kernel.sizes[index]) {
      // float32 parameters: the SIMD twin of the loop below, m and v resident in the kernel.
      this.bindSlot('m', index, kernel.m(index));
      this.bindSlot('v', index, kernel.v(index));
      kernel.update(index, p, offset, g, b1, b2, (this.learningRate * Math.sqrt(c2)) / c1, eps * Math.sqrt(c2));
      return;
    }
    const m = this.slot('m', index), v = this.slot('v', index);
    // lr·m̂/(√v̂ + ε) = (lr·√c2/c1)·m/(√v + ε·√c2): the same update with one division per element
    // instead of three (this loop runs over every parameter, the embedding table included).
    const a1 = 1 - b1, a2 = 1 - b2;
    const stepSize = (this.learningRate * Math.sqrt(c2)) / c1, epsHat = eps * Math.sqrt(c2);
    for (let j = 0; j < size; j++) {
      const gj = g[j];
      const mj = b1 * m[j] + a1 * gj;
      const vj = b2 * v[j] + a2 * gj * gj;
      m[j] = mj;
      v[j] = vj;
      p[offset + j] -= (stepSize * mj) / (Math.sqrt(vj) + epsHat);
    }
  }
}
