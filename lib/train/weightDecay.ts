/**
 * L2 weight decay as a loss term.
 *
 * ladtl adds weight decay to the loss rather than to the update rule: the paper's objective (E11)
 * includes λ·L_reg with L_reg = Σ ½‖θ‖², so the penalty is part of what is differentiated and its
 * gradient λ·θ reaches every optimizer the same way as the data loss does. (Decoupled decay, as in
 * AdamW, would be a different objective under Adam and Adagrad, so it is deliberately not offered.)
 */
import { type Variable, constant } from '../autodiff/index.ts';
import { scalar } from '../tensor/index.ts';
import { add, mul, squaredNorm } from '../ops/index.ts';

/**
 * `coefficient · Σ ½‖θ‖²` over `params`, as a differentiable scalar whose gradient with respect to
 * each θ is `coefficient · θ`. An empty list gives a constant 0, so it can be added to a loss anyway.
 */
export function l2Penalty(params: readonly Variable[], coefficient: number): Variable {
  if (!Number.isFinite(coefficient) || coefficient < 0) throw new Error(`l2Penalty: coefficient must be finite and ≥ 0, got ${coefficient}`);
  if (params.length === 0) return constant(scalar(0));
  let total = squaredNorm(params[0]);
  for (let i = 1; i < params.length; i++) total = add(total, squaredNorm(params[i]));
  // One multiply at the end, not one per parameter: the ½ and λ are folded into a single scalar.
  return mul(total, 0.5 * coefficient);
}
