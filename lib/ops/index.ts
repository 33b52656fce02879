/** Differentiable ops: forward through the active backend, backward as a vector-Jacobian product. */
export { type Operand, asVariable, broadcastShapes } from './operand.ts';
export { add, sub, mul, div, neg } from './arithmetic.ts';
export { exp, log, tanh, sigmoid, relu, square, sqrt } from './unary.ts';
export { matmul } from './matmul.ts';
export { reshape, transpose } from './shape.ts';
export { slice } from './slice.ts';
export { concat, stack } from './concat.ts';
export { gather } from './gather.ts';
export { sum, mean } from './reduce.ts';
export { max } from './max.ts';
export { logSumExp } from './logSumExp.ts';
export { softmax, logSoftmax } from './softmax.ts';
export { dropout } from './dropout.ts';
export { squaredNorm } from './squaredNorm.ts';
export { conv1d } from './conv1d.ts';
export { lstmSequence } from './lstmSequence.ts';
export { crfNll, constrainedScores, type CrfConstraints } from './crfNll.ts';
export { gaussianMmd, type GaussianMmdOptions } from './gaussianMmd.ts';
