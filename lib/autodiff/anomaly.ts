/**
 * NaN/Inf detection. When enabled, every op output is checked as it is computed (forward) and every
 * gradient as it is produced (backward); the first non-finite value throws a `NonFiniteError` naming
 * the op and the phase. The training loop adds the step number, so a report reads like
 * "non-finite value (NaN) in forward of op 'log' at step 412".
 */
import type { Tensor } from '../tensor/index.ts';

let checking = false;

/** Turns checking on or off (off by default: it costs one pass over every op output). */
export function setFiniteCheck(on: boolean): void {
  checking = on;
}

export function isFiniteCheckEnabled(): boolean {
  return checking;
}

export class NonFiniteError extends Error {
  constructor(
    readonly op: string,
    readonly phase: 'forward' | 'backward',
    readonly kind: 'NaN' | 'Infinity',
    readonly step: number | null = null,
  ) {
    super(`non-finite value (${kind}) in ${phase} of ${op}${step === null ? '' : ` at step ${step}`}`);
    this.name = 'NonFiniteError';
  }

  /** The same error with the training step attached. */
  atStep(step: number): NonFiniteError {
    return new NonFiniteError(this.op, this.phase, this.kind, step);
  }
}

/** Throws a `NonFiniteError` if `t` holds a NaN or an infinity. */
export function assertFinite(t: Tensor, op: string, phase: 'forward' | 'backward'): void {
  const v = t.values();
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x - x !== 0) throw new NonFiniteError(op, phase, Number.isNaN(x) ? 'NaN' : 'Infinity');
  }
}
