/**
 * Finite-difference gradient checking, the ground truth for every op's backward.
 *
 * Method: the op's output y is reduced to a scalar L = Σ y ⊙ R with a fixed random R (so the check
 * exercises a non-uniform output gradient, not just ones), the analytic ∂L/∂x comes from `backward`,
 * and the numeric one from central differences (L(x + ε) − L(x − ε)) / 2ε in float64, element by
 * element. With ε = 1e-6 the truncation error is O(ε²) and the rounding error O(1e-16/ε), so smooth
 * ops agree to about 1e-8; the default tolerance |a − n| ≤ atol + rtol·|n| with atol = 1e-6,
 * rtol = 1e-5 leaves a margin while still catching any real mistake (those are O(1)).
 */
import { Tensor, Rng, randNormal } from '../../lib/tensor/index.ts';
import { Variable, parameter, backward, noGrad } from '../../lib/autodiff/index.ts';
import { mul, sum } from '../../lib/ops/index.ts';

export interface GradCheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Seed for the output weighting R. */
  seed?: number;
}

export interface GradCheckResult {
  maxAbsError: number;
  checked: number;
}

/**
 * Checks ∂/∂inputs of `fn` against central differences. `inputs` must be float64 tensors; they
 * become parameters. Throws an error naming the input and element on the first mismatch.
 */
export function gradCheck(fn: (...xs: Variable[]) => Variable, inputs: Tensor[], options: GradCheckOptions = {}): GradCheckResult {
  const eps = options.eps ?? 1e-6, atol = options.atol ?? 1e-6, rtol = options.rtol ?? 1e-5;
  for (const t of inputs) if (t.dtype !== 'float64') throw new Error('gradCheck: inputs must be float64');
  const params = inputs.map((t, i) => parameter(t.clone(), `input${i}`));
  const y0 = fn(...params);
  const R = randNormal(y0.shape, new Rng(options.seed ?? 99), 0, 1, 'float64');
  const loss = sum(mul(y0, R));
  backward(loss);

  const evalLoss = (): number => noGrad(() => {
    const y = fn(...params).value.values();
    const r = R.values();
    let acc = 0;
    for (let i = 0; i < y.length; i++) acc += y[i] * r[i];
    return acc;
  });

  let maxAbsError = 0, checked = 0;
  params.forEach((p, pi) => {
    const data = p.value.data;
    const analytic = p.grad ? p.grad.values() : new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const orig = data[i];
      data[i] = orig + eps;
      const lp = evalLoss();
      data[i] = orig - eps;
      const lm = evalLoss();
      data[i] = orig;
      const numeric = (lp - lm) / (2 * eps);
      const err = Math.abs(analytic[i] - numeric);
      maxAbsError = Math.max(maxAbsError, err);
      checked++;
      if (!(err <= atol + rtol * Math.abs(numeric))) {
        throw new Error(`gradient mismatch for input ${pi} ${`[${p.value.shape.join(', ')}]`} element ${i}: analytic ${analytic[i]}, numeric ${numeric}`);
      }
    }
  });
  return { maxAbsError, checked };
}

/** A float64 tensor of N(0, 1) values from a seeded stream. */
export function randomInput(rng: Rng, shape: number[], scale = 1, shift = 0): Tensor {
  const t = randNormal(shape, rng, 0, 1, 'float64');
  for (let i = 0; i < t.data.length; i++) t.data[i] = shift + scale * t.data[i];
  return t;
}

/** A random shape of the given rank with dims in [1, maxDim], size-1 axes included on purpose. */
export function randomShape(rng: Rng, rank: number, maxDim = 4): number[] {
  return Array.from({ length: rank }, () => (rng.bernoulli(0.25) ? 1 : 1 + rng.int(maxDim)));
}
