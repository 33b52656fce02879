/**
 * The La-DTL objective (paper E11) for one joint step:
 *
 *   L = α·L_CRF^s + (1 − α)·L_CRF^t + L_La-MMD + L_PT + λ·L_reg
 *
 * with the defaults of the authors' code: α = 0.2, μ = 0.02 per label, γ_W = γ_b = 0.1, λ = 0.001.
 * Which terms are on is the method's business (methods.ts); the scalar values of every term are
 * returned for logging, so their scales can be compared during training.
 */
import type { Rng } from '../tensor/index.ts';
import type { Variable } from '../autodiff/index.ts';
import * as ops from '../ops/index.ts';
import type { Crf, EncoderInput } from '../nn/index.ts';
import { padTags } from '../nn/index.ts';
import type { TransferModel } from './transferModel.ts';
import type { MethodSpec } from './methods.ts';
import { domainFeatures } from './features.ts';
import { labelAwareMmd, globalMmd } from './labelAwareMmd.ts';
import { crfParameterTransfer } from './parameterTransfer.ts';

/** The coefficients of E11 and the MMD settings. */
export interface TransferHyper {
  /** α: weight of the source CRF loss; the target's is 1 − α. */
  alpha: number;
  /** μ: weight of each label's MMD² in La-MMD. */
  mu: number;
  /** Weight of the single MMD² of the global-MMD baseline. */
  muGlobal: number;
  gammaW: number;
  gammaB: number;
  /** λ of Σ ½‖θ‖² over non-embedding parameters. */
  lambda: number;
  bandwidths?: readonly number[];
  unbiased: boolean;
  /** Cap on tokens per label per side in La-MMD (and on all tokens in the global MMD). */
  maxPerLabel: number;
}

export const DEFAULT_HYPER: TransferHyper = { alpha: 0.2, mu: 0.02, muGlobal: 0.1, gammaW: 0.1, gammaB: 0.1, lambda: 0.001, unbiased: false, maxPerLabel: 256 };

export interface LabelledBatch extends EncoderInput {
  tagIds: Int32Array;
}

export interface StepLoss {
  loss: Variable;
  terms: Record<string, number>;
}

/** Σ ½‖θ‖² over the parameters weight decay applies to, times λ (E11's λ·L_reg). */
export function regularizer(decayed: readonly Variable[], lambda: number): Variable | null {
  if (lambda === 0 || decayed.length === 0) return null;
  let total = ops.squaredNorm(decayed[0]);
  for (let i = 1; i < decayed.length; i++) total = ops.add(total, ops.squaredNorm(decayed[i]));
  return ops.mul(total, 0.5 * lambda);
}

function withReg(loss: Variable, terms: Record<string, number>, reg: Variable | null): StepLoss {
  if (!reg) return { loss, terms };
  terms.reg = reg.value.item();
  return { loss: ops.add(loss, reg), terms };
}

/** One CRF on one batch (single-domain schedules), plus the regulariser. */
export function singleDomainLoss(model: TransferModel, crf: Crf, batch: LabelledBatch, decayed: readonly Variable[], hyper: TransferHyper): StepLoss {
  const nll = crf.nll(model.encoder.forward(batch, true), padTags(batch), batch.lengths);
  return withReg(nll, { nll: nll.value.item() }, regularizer(decayed, hyper.lambda));
}

/** A joint step of MULT and its extensions: E11 with the method's terms switched on. */
export function jointLoss(model: TransferModel, method: MethodSpec, source: LabelledBatch, target: LabelledBatch, decayed: readonly Variable[], hyper: TransferHyper, rng: Rng): StepLoss {
  const hs = model.encoder.forward(source, true);
  const ht = model.encoder.forward(target, true);
  const ls = model.sourceCrf.nll(hs, padTags(source), source.lengths);
  const lt = model.targetCrf.nll(ht, padTags(target), target.lengths);
  let loss = ops.add(ops.mul(ls, hyper.alpha), ops.mul(lt, 1 - hyper.alpha));
  const terms: Record<string, number> = { source: ls.value.item(), target: lt.value.item() };
  if (method.mmd !== 'none') {
    const fs = domainFeatures(hs, source.tagIds), ft = domainFeatures(ht, target.tagIds);
    const m = method.mmd === 'label-aware'
      ? labelAwareMmd(fs, ft, { numLabels: model.targetCrf.numTags, mu: hyper.mu, bandwidths: hyper.bandwidths, unbiased: hyper.unbiased, maxPerLabel: hyper.maxPerLabel, rng })
      : globalMmd(fs, ft, { mu: hyper.muGlobal, bandwidths: hyper.bandwidths, unbiased: hyper.unbiased, maxSamples: hyper.maxPerLabel, rng });
    loss = ops.add(loss, m.loss);
    terms.mmd = m.loss.value.item();
  }
  if (method.parameterTransfer) {
    const pt = crfParameterTransfer(model.sourceCrf, model.targetCrf, { gammaW: hyper.gammaW, gammaB: hyper.gammaB });
    loss = ops.add(loss, pt);
    terms.pt = pt.value.item();
  }
  return withReg(loss, terms, regularizer(decayed, hyper.lambda));
}
