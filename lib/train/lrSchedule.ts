/** Exponential learning-rate decay, as TF1's `tf.train.exponential_decay`. */

export interface ExponentialDecayOptions {
  /** lr₀, the rate at step 0. */
  initialLearningRate: number;
  /** Factor applied per `decaySteps` steps (e.g. 0.96). */
  decayRate: number;
  /** Steps over which the rate is multiplied by `decayRate` once (> 0). */
  decaySteps: number;
  /** Decay in whole intervals (floor(step / decaySteps)) instead of continuously; default false. */
  staircase?: boolean;
}

/** lr_t = lr₀ · rate^(step / decaySteps), with the exponent floored when `staircase`. */
export function exponentialDecay(step: number, options: ExponentialDecayOptions): number {
  const { initialLearningRate, decayRate, decaySteps, staircase = false } = options;
  if (!(decaySteps > 0)) throw new Error(`exponentialDecay: decaySteps must be > 0, got ${decaySteps}`);
  if (!(step >= 0)) throw new Error(`exponentialDecay: step must be ≥ 0, got ${step}`);
  const exponent = staircase ? Math.floor(step / decaySteps) : step / decaySteps;
  return initialLearningRate * Math.pow(decayRate, exponent);
}

/**
 * Sets an optimizer's learning rate from the step number. It keeps no counter of its own: the
 * caller passes the global step, so resuming from a checkpoint needs nothing extra saved here.
 */
export class ExponentialDecaySchedule {
  constructor(
    readonly optimizer: { learningRate: number },
    readonly options: ExponentialDecayOptions,
  ) {}

  /** Sets `optimizer.learningRate` to the rate for `step` and returns it. */
  apply(step: number): number {
    const lr = exponentialDecay(step, this.options);
    this.optimizer.learningRate = lr;
    return lr;
  }
}
