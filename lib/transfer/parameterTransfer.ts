/**
 * CRF parameter transfer (paper E10): the target CRF is tied to the source CRF by squared L2
 * penalties on their differences, gradients flowing into both:
 *
 *   L_PT = γ_W · (½‖A_s − A_t‖² + ½‖W_s − W_t‖²) + γ_b · ½‖b_s − b_t‖²
 *
 * with γ_W = γ_b = 0.1 in the authors' code. Our CRF also has start/end scores (the paper's has
 * none); when both CRFs learn them they are tied with γ_W too.
 */
import type { Variable } from '../autodiff/index.ts';
import * as ops from '../ops/index.ts';
import type { Crf } from '../nn/index.ts';

export interface ParameterTransferOptions {
  /** γ_W: weight of the emission-weight, transition and start/end differences (default 0.1). */
  gammaW?: number;
  /** γ_b: weight of the emission-bias difference (default 0.1). */
  gammaB?: number;
}

function halfSquaredDistance(a: Variable, b: Variable): Variable {
  return ops.mul(ops.squaredNorm(ops.sub(a, b)), 0.5);
}

export function crfParameterTransfer(source: Crf, target: Crf, o: ParameterTransferOptions = {}): Variable {
  if (source.numTags !== target.numTags || source.W.shape[0] !== target.W.shape[0]) {
    throw new Error(`crfParameterTransfer: CRFs differ in shape (W ${source.W.shape.join('x')} vs ${target.W.shape.join('x')})`);
  }
  const gammaW = o.gammaW ?? 0.1, gammaB = o.gammaB ?? 0.1;
  let weights = ops.add(halfSquaredDistance(source.transitions, target.transitions), halfSquaredDistance(source.W, target.W));
  if (source.start.requiresGrad && target.start.requiresGrad) {
    weights = ops.add(weights, ops.add(halfSquaredDistance(source.start, target.start), halfSquaredDistance(source.end, target.end)));
  }
  return ops.add(ops.mul(weights, gammaW), ops.mul(halfSquaredDistance(source.b, target.b), gammaB));
}
