/**
 * Catching NaN/Infinity where it starts. `guardStep` turns on the autodiff finite check around one
 * training step, so the first non-finite op output or gradient throws with the op's name, and adds
 * the step number. `assertFiniteParameters` covers the one place that check cannot see: the
 * optimizer's in-place update.
 */
import { type Variable, NonFiniteError, isFiniteCheckEnabled, setFiniteCheck } from '../autodiff/index.ts';
import { describeParameter } from './optimizer.ts';

/**
 * Runs `fn` (a synchronous training step: forward, backward, update) with the finite check on,
 * restoring the previous setting afterwards. A `NonFiniteError` from inside is rethrown with `step`
 * attached, e.g. "non-finite value (Infinity) in forward of op 'log' at step 7"; other errors pass
 * through unchanged. `fn` must not be async: the check would be switched back before awaited work ran.
 */
export function guardStep<T>(step: number, fn: () => T): T {
  const previous = isFiniteCheckEnabled();
  setFiniteCheck(true);
  try {
    return fn();
  } catch (err) {
    if (err instanceof NonFiniteError) throw err.atStep(step);
    throw err;
  } finally {
    setFiniteCheck(previous);
  }
}

/** Thrown when a parameter holds NaN or Infinity after an update. */
export class NonFiniteParameterError extends Error {
  constructor(
    readonly parameter: string,
    readonly kind: 'NaN' | 'Infinity',
    readonly step: number,
  ) {
    super(`non-finite value (${kind}) in ${parameter} after the update at step ${step}`);
    this.name = 'NonFiniteParameterError';
  }
}

/** Throws a `NonFiniteParameterError` naming the first parameter (and step) holding a non-finite value. */
export function assertFiniteParameters(params: readonly Variable[], step: number): void {
  params.forEach((p, i) => {
    const v = p.value.values();
    for (let j = 0; j < v.length; j++) {
      const x = v[j];
      // x − x is 0 for every finite x and NaN for NaN and ±Infinity: one test for both.
      if (x - x !== 0) throw new NonFiniteParameterError(describeParameter(p, i), Number.isNaN(x) ? 'NaN' : 'Infinity', step);
    }
  });
}
