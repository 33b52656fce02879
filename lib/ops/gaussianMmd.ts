/**
 * gaussianMmd: MMD² between two samples under a sum of Gaussian kernels (paper E8–E9) as one fused
 * op with the hand-derived gradient of kernels/cpu/mmd.ts. Checked against a naive double loop and
 * by finite differences (test/ops/gaussianMmd.test.ts).
 */
import { Tensor, allocate, scalar } from '../tensor/index.ts';
import { type Variable, recordOp } from '../autodiff/index.ts';
import { getBackend } from '../backend/index.ts';
import { DEFAULT_MMD_BANDWIDTHS } from '../../kernels/cpu/index.ts';
import { type Operand, asVariable, fmtShape } from './operand.ts';

export interface GaussianMmdOptions {
  /** Kernel variances σ (default: the 19 of paper E9). */
  bandwidths?: readonly number[];
  /** Unbiased (U-statistic) estimate instead of the default biased (V-statistic) one. */
  unbiased?: boolean;
}

/** MMD²(P, Q) for samples P [n, d] and Q [m, d]; a scalar. */
export function gaussianMmd(P: Operand, Q: Operand, options: GaussianMmdOptions = {}): Variable {
  const vp = asVariable(P), vq = asVariable(Q);
  if (vp.shape.length !== 2 || vq.shape.length !== 2 || vp.shape[1] !== vq.shape[1]) {
    throw new Error(`gaussianMmd: samples ${fmtShape(vp.shape)} and ${fmtShape(vq.shape)} must be [n, d] and [m, d]`);
  }
  const bandwidths = options.bandwidths ?? DEFAULT_MMD_BANDWIDTHS;
  if (bandwidths.length === 0 || bandwidths.some((s) => !(s > 0))) throw new Error(`gaussianMmd: bandwidths must be positive, got [${bandwidths.join(', ')}]`);
  const [n, d] = vp.shape, m = vq.shape[0];
  const needGrad = vp.requiresGrad || vq.requiresGrad;
  const r = getBackend().gaussianMmd(vp.value.values(), n, vq.value.values(), m, d, bandwidths, options.unbiased ?? false, needGrad);
  const dtype = vp.value.dtype === 'float64' || vq.value.dtype === 'float64' ? 'float64' : 'float32';
  return recordOp('gaussianMmd', scalar(r.value, dtype), [vp, vq], (g) => {
    const s = g.item();
    const scaled = (grad: Float64Array, shape: readonly number[]): Tensor => {
      const out = allocate(dtype, grad.length);
      for (let i = 0; i < grad.length; i++) out[i] = s * grad[i];
      return new Tensor(out, shape);
    };
    if (vp.requiresGrad) vp.adoptGrad(scaled(r.gradP!, vp.shape));
    if (vq.requiresGrad) vq.adoptGrad(scaled(r.gradQ!, vq.shape));
  });
}
