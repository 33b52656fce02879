/**
 * `Lstm` (one direction) and `BiLstm` (paper E1): h_i = [→LSTM(e_1..e_i); ←LSTM(e_i..e_T)], each
 * direction one fused `lstmSequence` op over the padded batch.
 */
import type { Rng } from '../tensor/index.ts';
import type { Variable } from '../autodiff/index.ts';
import type { BiLstmProjection } from '../backend/index.ts';
import * as ops from '../ops/index.ts';
import { Module } from './module.ts';
import { glorotUniform, zeros } from './init.ts';

export class Lstm extends Module {
  readonly Wih: Variable;
  readonly Whh: Variable;
  readonly bias: Variable;

  constructor(readonly inputDim: number, readonly hidden: number, readonly reverse: boolean, rng: Rng) {
    super();
    const G = 4 * hidden;
    // Glorot per gate block (fan-out H, not 4H), so each gate starts with unit-scale inputs.
    this.Wih = this.param('Wih', glorotUniform([inputDim, G], rng, inputDim, hidden));
    this.Whh = this.param('Whh', glorotUniform([hidden, G], rng, hidden, hidden));
    const b = zeros([G]);
    // Forget-gate bias 1 (as TF's LSTMCell forget_bias in the authors' code): remember by default.
    b.data.fill(1, hidden, 2 * hidden);
    this.bias = this.param('bias', b);
  }

  /** x [B, T, I] → h [B, T, H], zero at padding. */
  forward(x: Variable, lengths: Int32Array): Variable {
    return ops.lstmSequence(x, this.Wih, this.Whh, this.bias, lengths, this.reverse);
  }
}

export class BiLstm extends Module {
  readonly forwardLstm: Lstm;
  readonly backwardLstm: Lstm;

  constructor(readonly inputDim: number, readonly hidden: number, rng: Rng) {
    super();
    this.forwardLstm = this.child('forward', new Lstm(inputDim, hidden, false, rng));
    this.backwardLstm = this.child('backward', new Lstm(inputDim, hidden, true, rng));
  }

  get outputDim(): number {
    return 2 * this.hidden;
  }

  /**
   * x [B, T, I] → [B, T, 2H]: both directions as one op (in parallel on a threaded backend).
   * `projection`: cached input projections for inference (./inputProjection.ts).
   */
  forward(x: Variable, lengths: Int32Array, projection?: BiLstmProjection): Variable {
    const f = this.forwardLstm, b = this.backwardLstm;
    return ops.biLstmSequence(x, { Wih: f.Wih, Whh: f.Whh, bias: f.bias }, { Wih: b.Wih, Whh: b.Whh, bias: b.bias }, lengths, projection);
  }
}
