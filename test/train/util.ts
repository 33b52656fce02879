/** Shared helpers for the lib/train tests (not a test file itself: it does not end in .test.ts). */
import * as assert from 'uvu/assert';
import { parameter, type Variable } from '../../lib/autodiff/index.ts';
import { tensor } from '../../lib/tensor/index.ts';

/** A float64 parameter holding `values`. */
export function param64(values: number[], name?: string): Variable {
  return parameter(tensor(values, [values.length], 'float64'), name);
}

/** Sets a parameter's gradient directly, so optimizer tests do not depend on autodiff. */
export function setGrad(p: Variable, values: number[]): void {
  p.grad = tensor(values, [values.length], 'float64');
}

/** Element-wise |a − e| ≤ tol·max(1, |e|). */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-12, label = ''): void {
  assert.is(actual.length, expected.length, `${label} length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    if (!(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) {
      assert.unreachable(`${label}[${i}]: expected ${e}, got ${a}`);
    }
  }
}
