/**
 * The `Backend` interface: one method per kernel, the seam between differentiable ops (lib/ops)
 * and the loops that do the arithmetic (kernels/). Ops never loop over data themselves; they call
 * the active backend, so a GPU.js backend can replace the CPU one without touching any layer above.
 *
 * Every method writes into caller-allocated output arrays: allocation policy stays with the ops,
 * and a backend never hands back storage it might reuse.
 */
import type * as cpu from '../../kernels/cpu/index.ts';
import type * as wasmLstm from '../../kernels/wasm/lstm.ts';

export type { InputProjection, BiLstmProjection } from '../../kernels/wasm/lstm.ts';

/**
 * A fused LSTM direction (input projection, recurrence and weight gradients in one kernel call each
 * way), which a backend may offer in addition to the per-sequence kernels; `supports` says whether a
 * call of these dimensions and this dtype can take it.
 */
export interface FusedLstmDirection {
  supports(d: { H: number; I: number }): boolean;
  forward: typeof wasmLstm.lstmDirectionForward;
  backward: typeof wasmLstm.lstmDirectionBackward;
  /** Both directions of a Bi-LSTM in one call each way (a threaded backend runs them at once). */
  bidirectionalForward: typeof wasmLstm.lstmBidirectionalForward;
  bidirectionalBackward: typeof wasmLstm.lstmBidirectionalBackward;
  /**
   * x[:, :K]·W_ih[:K] with the forward pass's own gemm, for an inference cache of input projections
   * (lib/nn/inputProjection.ts) that forward passes take as `projection`, with identical results.
   */
  inputProjection: typeof wasmLstm.lstmInputProjection;
}

export interface Backend {
  /** Short name, e.g. `cpu`. */
  readonly name: string;
  /** A human-readable description of what actually runs (e.g. the GPU.js mode obtained). */
  readonly description: string;
  matmul: typeof cpu.matmul;
  unary: typeof cpu.unary;
  unaryBackward: typeof cpu.unaryBackward;
  binary: typeof cpu.binary;
  copyStrided: typeof cpu.copyStrided;
  assignStrided: typeof cpu.assignStrided;
  addInto: typeof cpu.addInto;
  scaleInPlace: typeof cpu.scaleInPlace;
  sumToShape: typeof cpu.sumToShape;
  logSumExpAxis: typeof cpu.logSumExpAxis;
  softmaxAxis: typeof cpu.softmaxAxis;
  softmaxAxisBackward: typeof cpu.softmaxAxisBackward;
  maxAxis: typeof cpu.maxAxis;
  gatherRows: typeof cpu.gatherRows;
  dropoutApply: typeof cpu.dropoutApply;
  scatterAddRows: typeof cpu.scatterAddRows;
  conv1dForward: typeof cpu.conv1dForward;
  conv1dBackward: typeof cpu.conv1dBackward;
  charCnnForward: typeof cpu.charCnnForward;
  charCnnBackward: typeof cpu.charCnnBackward;
  lstmCellForward: typeof cpu.lstmCellForward;
  lstmCellBackward: typeof cpu.lstmCellBackward;
  lstmSequenceForward: typeof cpu.lstmSequenceForward;
  lstmSequenceBackward: typeof cpu.lstmSequenceBackward;
  crfForwardBackward: typeof cpu.crfForwardBackward;
  crfPathScore: typeof cpu.crfPathScore;
  viterbi: typeof cpu.viterbi;
  /** n-best decoding; sorted candidate lists per position, so every backend runs the CPU kernel. */
  kBestViterbi: typeof cpu.kBestViterbi;
  gaussianMmd: typeof cpu.gaussianMmd;
  /** Optional fused LSTM direction for float32 (kernels/wasm/lstm.ts); ops fall back to the kernels above without it. */
  lstmDirection?: FusedLstmDirection;
}
