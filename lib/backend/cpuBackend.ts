/**
 * The CPU backends. Both run the plain TypeScript kernels of kernels/cpu; they differ in the matrix
 * product those kernels (and the ops) use, and in the fused SIMD kernels:
 * - `cpu` (the default): the WebAssembly SIMD matmul of kernels/wasm for float32, and the SIMD LSTM
 *   direction, MMD and dropout (`WASM_KERNELS`), each falling back to its TypeScript twin for
 *   float64, where SIMD is missing, or where a Content-Security-Policy forbids compiling WebAssembly;
 * - `js`: TypeScript everywhere, the reference the other is tested against.
 */
import * as cpu from '../../kernels/cpu/index.ts';
import type { MatmulFn } from '../../kernels/cpu/index.ts';
import { matmul as wasmMatmul, wasmMatmulAvailable, describeWasmMatmul } from '../../kernels/wasm/matmul.ts';
import { lstmDirectionForward, lstmDirectionBackward, lstmBidirectionalForward, lstmBidirectionalBackward, lstmInputProjection, wasmLstmSupports } from '../../kernels/wasm/lstm.ts';
import { gaussianMmd as wasmGaussianMmd } from '../../kernels/wasm/mmd.ts';
import { dropoutApply as wasmDropoutApply } from '../../kernels/wasm/dropout.ts';
import type { Backend, FusedLstmDirection } from './backend.ts';

/**
 * The WebAssembly SIMD kernels a CPU backend may use in place of TypeScript ones (each takes
 * float32 data and hands anything else to its TypeScript twin).
 */
export interface SimdKernels {
  lstmDirection: FusedLstmDirection;
  gaussianMmd: Backend['gaussianMmd'];
  dropoutApply: Backend['dropoutApply'];
}

/** The SIMD kernels of kernels/wasm, used by the default backend where WebAssembly SIMD runs. */
export const WASM_KERNELS: SimdKernels = {
  lstmDirection: {
    supports: wasmLstmSupports, forward: lstmDirectionForward, backward: lstmDirectionBackward,
    bidirectionalForward: lstmBidirectionalForward, bidirectionalBackward: lstmBidirectionalBackward,
    inputProjection: lstmInputProjection,
  },
  gaussianMmd: wasmGaussianMmd,
  dropoutApply: wasmDropoutApply,
};

/** A CPU backend whose kernels use `mm` for their matrix products, and `simd`'s kernels when given. */
export function makeCpuBackend(name: string, description: string, mm: MatmulFn, simd?: SimdKernels): Backend {
  return {
    lstmDirection: simd?.lstmDirection,
    name,
    description,
    matmul: mm,
    unary: cpu.unary,
    unaryBackward: cpu.unaryBackward,
    binary: cpu.binary,
    copyStrided: cpu.copyStrided,
    assignStrided: cpu.assignStrided,
    addInto: cpu.addInto,
    scaleInPlace: cpu.scaleInPlace,
    sumToShape: cpu.sumToShape,
    logSumExpAxis: cpu.logSumExpAxis,
    softmaxAxis: cpu.softmaxAxis,
    softmaxAxisBackward: cpu.softmaxAxisBackward,
    maxAxis: cpu.maxAxis,
    gatherRows: cpu.gatherRows,
    dropoutApply: simd?.dropoutApply ?? cpu.dropoutApply,
    scatterAddRows: cpu.scatterAddRows,
    conv1dForward: (x, w, s, out) => cpu.conv1dForward(x, w, s, out, mm),
    conv1dBackward: (x, w, dOut, s, dx, dw) => cpu.conv1dBackward(x, w, dOut, s, dx, dw, mm),
    charCnnForward: (e, w, bias, d, out) => cpu.charCnnForward(e, w, bias, d, out, mm),
    charCnnBackward: (dOut, w, saved, d, de, dw, dBias) => cpu.charCnnBackward(dOut, w, saved, d, de, dw, dBias, mm),
    lstmCellForward: cpu.lstmCellForward,
    lstmCellBackward: cpu.lstmCellBackward,
    lstmSequenceForward: (xProj, Whh, d) => cpu.lstmSequenceForward(xProj, Whh, d, mm),
    lstmSequenceBackward: (dh, saved, Whh, d, dWhh) => cpu.lstmSequenceBackward(dh, saved, Whh, d, dWhh, mm),
    crfForwardBackward: cpu.crfForwardBackward,
    crfPathScore: cpu.crfPathScore,
    viterbi: cpu.viterbi,
    kBestViterbi: cpu.kBestViterbi,
    gaussianMmd: simd?.gaussianMmd ?? cpu.gaussianMmd,
  };
}

/** Pure TypeScript: the reference. */
export const jsBackend: Backend = makeCpuBackend('js', 'js (plain TypeScript loops over typed arrays)', cpu.matmul);

/** The default backend (built lazily: checking for WebAssembly SIMD compiles a tiny module). */
export function makeDefaultCpuBackend(): Backend {
  const simd = wasmMatmulAvailable();
  return makeCpuBackend('cpu', simd ? `cpu (TypeScript kernels; float32 matmul: ${describeWasmMatmul()})` : 'cpu (TypeScript kernels; WebAssembly SIMD unavailable, TypeScript matmul)', simd ? wasmMatmul : cpu.matmul, simd ? WASM_KERNELS : undefined);
}
