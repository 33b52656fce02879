/** Parameter initialisers; each draws from the caller's seeded Rng. */
import { type Rng, type Tensor, randUniform, randNormal, zeros } from '../tensor/index.ts';

/** Glorot/Xavier uniform: U(−a, a) with a = √(6 / (fanIn + fanOut)), keeps activations' variance stable. */
export function glorotUniform(shape: number[], rng: Rng, fanIn = shape[0], fanOut = shape[shape.length - 1]): Tensor {
  const a = Math.sqrt(6 / (fanIn + fanOut));
  return randUniform(shape, rng, -a, a);
}

/** N(0, std²). */
export function normal(shape: number[], rng: Rng, std: number): Tensor {
  return randNormal(shape, rng, 0, std);
}

export { zeros };
