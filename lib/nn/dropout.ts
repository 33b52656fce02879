/** `Dropout` module: inverted dropout while training, identity otherwise. Owns a forked Rng stream. */
import type { Rng } from '../tensor/index.ts';
import type { Variable } from '../autodiff/index.ts';
import * as ops from '../ops/index.ts';

export class Dropout {
  constructor(readonly rate: number, private readonly rng: Rng) {
    if (!(rate >= 0 && rate < 1)) throw new Error(`Dropout: rate must lie in [0, 1), got ${rate}`);
  }

  /** The mask stream (its state goes into training checkpoints). */
  get randomStream(): Rng {
    return this.rng;
  }

  forward(x: Variable, training: boolean): Variable {
    return ops.dropout(x, this.rate, this.rng, training);
  }
}
