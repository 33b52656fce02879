/** Optimizers by name, for configuration files and the CLI. */
import type { Variable } from '../autodiff/index.ts';
import type { Optimizer } from './optimizer.ts';
import { SGD } from './sgd.ts';
import { Adagrad } from './adagrad.ts';
import { Adam } from './adam.ts';

export type OptimizerName = 'sgd' | 'adagrad' | 'adam';
export const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'adagrad', 'adam'];

/** The optimizer called `name`; SGD uses momentum 0.9. Unknown names throw, listing the known ones. */
export function makeOptimizer(name: string, params: readonly Variable[], learningRate: number): Optimizer {
  switch (name) {
    case 'sgd': return new SGD(params, learningRate, { momentum: 0.9 });
    case 'adagrad': return new Adagrad(params, learningRate);
    case 'adam': return new Adam(params, learningRate);
    default: throw new Error(`unknown optimizer "${name}": use one of ${OPTIMIZERS.join(', ')}`);
  }
}
