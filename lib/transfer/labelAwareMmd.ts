/**
 * Label-aware MMD, the feature-representation transfer of La-DTL (paper E6–E7):
 *
 *   L_La-MMD = Σ_y μ · MMD²(R^s_y, R^t_y),   R^d_y = Bi-LSTM outputs of the tokens of domain d's
 *                                              current batch whose gold label is y.
 *
 * As in the authors' code: every label including O, the biased estimator, the 19-bandwidth Gaussian
 * sum, uniform weight μ. Labels absent from either batch are skipped (the code's NaN-then-floor
 * trick has the same effect on gradients). Deviation, disclosed: `maxPerLabel` caps the tokens of a
 * label on each side by a seeded sample (O would otherwise make the kernel matrices ~500×500); the
 * returned `terms` say, per label, how many tokens each side had and whether it was capped.
 * The global (label-agnostic) MMD baseline is the same computation with one pseudo-label.
 */
import { scalar, type Rng } from '../tensor/index.ts';
import { type Variable, constant } from '../autodiff/index.ts';
import * as ops from '../ops/index.ts';
import { mmd } from './mmd.ts';
import { type DomainFeatures, rowsWithLabel } from './features.ts';

export interface LabelAwareMmdOptions {
  /** Number of labels (ids 0..numLabels−1). */
  numLabels: number;
  /** μ, the weight of each label's MMD² (default 0.02, the authors' code). */
  mu?: number;
  bandwidths?: readonly number[];
  unbiased?: boolean;
  /** Cap on tokens per label per side (seeded subsample). */
  maxPerLabel?: number;
  rng?: Rng;
  /** Labels to leave out (e.g. O, for an ablation). */
  exclude?: ReadonlySet<number>;
}

/** What one label contributed, for logs and tests. */
export interface LabelMmdTerm {
  label: number;
  sourceCount: number;
  targetCount: number;
  value: number;
  subsampled: boolean;
}

export interface MmdLoss {
  /** The weighted sum, a scalar (a constant 0 when no label was present on both sides). */
  loss: Variable;
  terms: LabelMmdTerm[];
}

export function labelAwareMmd(source: DomainFeatures, target: DomainFeatures, o: LabelAwareMmdOptions): MmdLoss {
  const mu = o.mu ?? 0.02;
  const terms: LabelMmdTerm[] = [];
  let total: Variable | null = null;
  for (let y = 0; y < o.numLabels; y++) {
    if (o.exclude?.has(y)) continue;
    const r = mmd(source.rows, rowsWithLabel(source, y), target.rows, rowsWithLabel(target, y), { bandwidths: o.bandwidths, unbiased: o.unbiased, maxSamples: o.maxPerLabel, rng: o.rng });
    if (!r) continue;
    terms.push({ label: y, sourceCount: r.sourceCount, targetCount: r.targetCount, value: r.value.value.item(), subsampled: r.subsampled });
    total = total ? ops.add(total, r.value) : r.value;
  }
  return { loss: total ? ops.mul(total, mu) : constant(scalar(0)), terms };
}

/** The plain MMD baseline: one MMD² over all real tokens of both batches, weighted by `mu`. */
export function globalMmd(source: DomainFeatures, target: DomainFeatures, o: Omit<LabelAwareMmdOptions, 'numLabels' | 'exclude' | 'maxPerLabel'> & { maxSamples?: number }): MmdLoss {
  const r = mmd(source.rows, rowsWithLabel(source, null), target.rows, rowsWithLabel(target, null), { bandwidths: o.bandwidths, unbiased: o.unbiased, maxSamples: o.maxSamples, rng: o.rng });
  if (!r) return { loss: constant(scalar(0)), terms: [] };
  return { loss: ops.mul(r.value, o.mu ?? 0.02), terms: [{ label: -1, sourceCount: r.sourceCount, targetCount: r.targetCount, value: r.value.value.item(), subsampled: r.subsampled }] };
}
