/** `Linear`: y = x·W + b over the last axis of a 2-D or 3-D input. */
import type { Rng } from '../tensor/index.ts';
import type { Variable } from '../autodiff/index.ts';
import * as ops from '../ops/index.ts';
import { Module } from './module.ts';
import { glorotUniform, zeros } from './init.ts';

export class Linear extends Module {
  readonly W: Variable;
  readonly b: Variable;

  constructor(readonly inDim: number, readonly outDim: number, rng: Rng) {
    super();
    this.W = this.param('W', glorotUniform([inDim, outDim], rng));
    this.b = this.param('b', zeros([outDim]));
  }

  forward(x: Variable): Variable {
    return ops.add(ops.matmul(x, this.W), this.b);
  }
}
