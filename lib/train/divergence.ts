/**
 * Divergence without NaN: with a learning rate of 1e6 the loss climbed to about 1e8 and the run
 * ended "successfully" (issue 15, point 8). The monitor follows an exponential moving average of
 * the step loss (smoothing α = 0.1, so one noisy batch does not count), from the first step, and
 * its running minimum. A run has diverged when the average is both above DIVERGENCE_FACTOR times
 * that minimum and above the first step's loss (the untrained model's): it then stops with the
 * step and the term of the objective (E11) that grew the most. At a learning rate of 1e6 the loss
 * goes from about 130 to about 1.9e8 at the second step (the first epoch's mean was 3e8), so this trips at once; a minimum taken after a
 * warm-up would already be huge and never trip.
 *
 * Why both: a ratio alone raises false alarms late in long runs, where the loss is near zero and a
 * small bump is a large ratio. Over the per-epoch mean losses of 208 stored runs (the dev-curve
 * study and the reproduction grid, up to 500 epochs), the largest loss over its running minimum
 * within a phase was 9.05, at epoch 486 of a run whose loss had fallen to near zero, still far below
 * its starting loss. A diverging run climbs past both by orders of magnitude.
 */

/** Smoothed loss over its running minimum beyond which a run has diverged. */
export const DIVERGENCE_FACTOR = 100;
const ALPHA = 0.1;

export class DivergenceError extends Error {
  constructor(readonly step: number, readonly term: string, readonly smoothed: number, readonly minimum: number) {
    super(`training diverged at step ${step}: the smoothed ${term} reached ${smoothed.toPrecision(3)}, more than ${DIVERGENCE_FACTOR} times its minimum ${minimum.toPrecision(3)} (lower the learning rate)`);
    this.name = 'DivergenceError';
  }
}

interface Track { ema: number; min: number; start: number }

export class DivergenceMonitor {
  private readonly tracks = new Map<string, Track>();

  constructor(private readonly factor = DIVERGENCE_FACTOR) {}

  /** Takes one step's loss (and its terms); throws DivergenceError once the loss has diverged. */
  observe(step: number, loss: number, terms?: Readonly<Record<string, number>>): void {
    const update = (name: string, value: number): Track => {
      const t = this.tracks.get(name);
      if (!t) {
        const fresh = { ema: value, min: value, start: value };
        this.tracks.set(name, fresh);
        return fresh;
      }
      t.ema += ALPHA * (value - t.ema);
      t.min = Math.min(t.min, t.ema);
      return t;
    };
    const total = update('loss', loss);
    if (terms) for (const [k, v] of Object.entries(terms)) update(k, v);
    if (!(total.min > 0 && total.ema > this.factor * total.min && total.ema > total.start)) return;
    // The term that grew the most relative to its own minimum is the one to blame.
    let blamed = 'loss';
    for (const [name, t] of this.tracks) {
      const worst = this.tracks.get(blamed)!;
      if (t.min > 0 && t.ema / t.min > worst.ema / worst.min) blamed = name;
    }
    const t = this.tracks.get(blamed)!;
    throw new DivergenceError(step, blamed === 'loss' ? 'loss' : `term ${blamed}`, t.ema, t.min);
  }
}
