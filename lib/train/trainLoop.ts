/**
 * The training loop every method shares: epochs of steps, each step a forward pass that returns a
 * scalar loss, then backward, optional clipping, the optimizer update and a NaN/Inf guard naming the
 * op and step. After each epoch a dev score selects the best epoch (its parameters are reported to
 * `onBest`, e.g. to save a model) and stops early after `patience` evaluations without improvement.
 * What a step computes (one domain, two domains, which loss terms) is the caller's business.
 */
import type { Variable } from '../autodiff/index.ts';
import { backward } from '../autodiff/index.ts';
import type { Optimizer } from './optimizer.ts';
import { clipGradNorm } from './clipping.ts';
import { guardStep, assertFiniteParameters } from './finiteGuard.ts';
import { DivergenceMonitor } from './divergence.ts';
import { exponentialDecay, type ExponentialDecayOptions } from './lrSchedule.ts';

/** One step: compute the loss (with the graph) and say how many tokens it covered. */
export type StepFn = () => { loss: Variable; tokens: number; terms?: Record<string, number> };

/** Progress after each step, for a progress bar. */
export interface StepProgress {
  epoch: number;
  epochs: number;
  step: number;
  stepsInEpoch: number;
  globalStep: number;
  loss: number;
  /** Running mean loss over the epoch so far. */
  meanLoss: number;
  tokensPerSecond: number;
  /** Estimated seconds left in this epoch. */
  etaSeconds: number;
  terms?: Record<string, number>;
}

export interface EpochReport {
  epoch: number;
  meanLoss: number;
  /** Training time of the epoch (steps only). */
  seconds: number;
  /** Time of the dev evaluation after it (0 when not evaluated). */
  evalSeconds: number;
  tokensPerSecond: number;
  /** Dev score, or null when the epoch was not evaluated. */
  devScore: number | null;
  best: boolean;
  /** Global step count at the end of the epoch. */
  globalStep: number;
  /** Mean over the epoch's steps of each loss term the steps reported (e.g. E11's source, target, mmd, pt, reg). */
  terms?: Record<string, number>;
  details?: unknown;
}

/**
 * Where a loop stands after an epoch: everything `trainLoop` itself needs to continue exactly as if it
 * had not stopped (the caller saves the rest: parameters, optimizer, random streams, data queues).
 */
export interface LoopState {
  /** Epochs completed. */
  epoch: number;
  globalStep: number;
  bestScore: number;
  bestEpoch: number;
  /** Evaluations since the best one (for patience). */
  since: number;
  reports: EpochReport[];
}

export interface TrainLoopOptions {
  epochs: number;
  optimizer: Optimizer;
  /** Steps of one epoch, in order (the caller shuffles with its seeded Rng). */
  makeEpoch(epoch: number): StepFn[];
  /**
   * Dev score after an epoch (higher is better), with optional details to report; `score: null`
   * means this epoch was not evaluated (it then neither selects nor counts towards patience).
   */
  evaluate(epoch: number): { score: number | null; details?: unknown };
  /** Called when an epoch beats every earlier one. */
  onBest?(epoch: number, score: number): void;
  onStep?(p: StepProgress): void;
  onEpoch?(r: EpochReport): void;
  /** Stop after this many epochs without a better dev score (default: never). */
  patience?: number;
  clipNorm?: number;
  /** Exponential learning-rate decay by global step. */
  schedule?: ExponentialDecayOptions;
  /** Check every op output and gradient for NaN/Inf (slower; a final parameter check always runs). */
  checkFinite?: boolean;
  /** Smoothed loss over its minimum at which the run stops as diverged (divergence.ts; 0: never). */
  divergenceFactor?: number;
  /** Monotonic clock in ms (injectable for tests). */
  now?(): number;
  /** Continue from a state reported by `onEpochEnd` (the caller has restored everything else). */
  resume?: LoopState;
  /**
   * Called after each epoch's evaluation and `onBest`, with the loop's state: the point where a
   * checkpoint is consistent. Not called after the epoch that ends the loop.
   */
  onEpochEnd?(state: LoopState): void;
}

export interface TrainResult {
  bestEpoch: number;
  bestScore: number;
  epochs: EpochReport[];
  stoppedEarly: boolean;
}

export function trainLoop(o: TrainLoopOptions): TrainResult {
  const now = o.now ?? (() => performance.now());
  const params = o.optimizer.params;
  const r0 = o.resume;
  const reports: EpochReport[] = r0 ? r0.reports.map((r) => ({ ...r })) : [];
  let bestScore = r0?.bestScore ?? -Infinity, bestEpoch = r0?.bestEpoch ?? -1, since = r0?.since ?? 0, globalStep = r0?.globalStep ?? 0, stoppedEarly = false;
  if (r0 && o.patience !== undefined && since >= o.patience) return { bestEpoch, bestScore, epochs: reports, stoppedEarly: r0.epoch < o.epochs };
  const divergence = o.divergenceFactor === 0 ? null : new DivergenceMonitor(o.divergenceFactor);
  for (let epoch = (r0?.epoch ?? 0) + 1; epoch <= o.epochs; epoch++) {
    const steps = o.makeEpoch(epoch);
    const t0 = now();
    let tokens = 0, lossSum = 0;
    const termSums: Record<string, number> = {};
    steps.forEach((stepFn, i) => {
      globalStep++;
      if (o.schedule) o.optimizer.learningRate = exponentialDecay(globalStep - 1, o.schedule);
      const run = (): { loss: number; tokens: number; terms?: Record<string, number> } => {
        const out = stepFn();
        o.optimizer.zeroGrad();
        backward(out.loss);
        if (o.clipNorm) clipGradNorm(params, o.clipNorm);
        o.optimizer.step();
        return { loss: out.loss.value.item(), tokens: out.tokens, terms: out.terms };
      };
      const r = o.checkFinite ? guardStep(globalStep, run) : run();
      assertFiniteParameters(params, globalStep);
      if (!Number.isFinite(r.loss)) throw new Error(`training: loss is ${r.loss} at epoch ${epoch}, step ${globalStep} (rerun with --check-finite to find the op)`);
      divergence?.observe(globalStep, r.loss, r.terms);
      tokens += r.tokens;
      lossSum += r.loss;
      if (r.terms) for (const [k, v] of Object.entries(r.terms)) termSums[k] = (termSums[k] ?? 0) + v;
      const elapsed = (now() - t0) / 1000;
      o.onStep?.({
        epoch, epochs: o.epochs, step: i + 1, stepsInEpoch: steps.length, globalStep, loss: r.loss,
        meanLoss: lossSum / (i + 1), tokensPerSecond: tokens / Math.max(elapsed, 1e-9),
        etaSeconds: (elapsed / (i + 1)) * (steps.length - i - 1), terms: r.terms,
      });
    });
    const seconds = (now() - t0) / 1000;
    const e0 = now();
    const { score, details } = o.evaluate(epoch);
    const evalSeconds = (now() - e0) / 1000;
    const best = score !== null && score > bestScore;
    if (best) {
      bestScore = score;
      bestEpoch = epoch;
      since = 0;
      o.onBest?.(epoch, score);
    } else if (score !== null) {
      since++;
    }
    const n = Math.max(steps.length, 1);
    const terms = Object.keys(termSums).length ? Object.fromEntries(Object.entries(termSums).map(([k, v]) => [k, v / n])) : undefined;
    const report: EpochReport = { epoch, meanLoss: lossSum / n, seconds, evalSeconds, tokensPerSecond: tokens / Math.max(seconds, 1e-9), devScore: score, best, globalStep, ...(terms ? { terms } : {}), details };
    reports.push(report);
    o.onEpoch?.(report);
    if (o.patience !== undefined && since >= o.patience) {
      stoppedEarly = epoch < o.epochs;
      break;
    }
    if (epoch < o.epochs) o.onEpochEnd?.({ epoch, globalStep, bestScore, bestEpoch, since, reports: reports.map((r) => ({ ...r })) });
  }
  return { bestEpoch, bestScore, epochs: reports, stoppedEarly };
}
