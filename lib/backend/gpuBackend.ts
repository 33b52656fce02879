/**
 * The `gpu` backend: GPU.js kernels (kernels/gpu) for the matrix product, the LSTM cells (and so
 * both LSTM sequence kernels, whose per-step driver is shared with the CPU), CRF forward-backward,
 * Viterbi and the Gaussian-kernel MMD: the kernels a La-DTL step spends its time in. The remaining
 * kernels (element-wise maps, reductions, gathers, the char CNN's im2col) are the CPU twins: each is
 * a single pass over memory, cheaper on the host than a round trip through GPU.js, and none of them
 * depends on which mode GPU.js obtained.
 *
 * GPU.js chooses its best mode (`auto`) unless LADTL_GPU_MODE names one (cpu, webasm, webgl,
 * webgl2, headlessgl); `description` says which mode it got. float64 inputs (the gradient checks)
 * are computed by the CPU twins, since every device mode is float32.
 */
import * as cpu from '../../kernels/cpu/index.ts';
import { createGpuContext, GPU_MODES, type GpuContext, type GpuMode, gpuCrfForwardBackward, gpuGaussianMmd, gpuLstmCellBackward, gpuLstmCellForward, gpuMatmul, gpuViterbi } from '../../kernels/gpu/index.ts';
import type { Backend } from './backend.ts';
import { makeCpuBackend } from './cpuBackend.ts';

/** Parses a GPU.js mode name (from LADTL_GPU_MODE), naming the accepted ones when it is unknown. */
export function parseGpuMode(name: string | undefined): GpuMode {
  if (name === undefined || name === '') return 'auto';
  if ((GPU_MODES as readonly string[]).includes(name)) return name as GpuMode;
  throw new Error(`unknown GPU.js mode "${name}" (LADTL_GPU_MODE): known modes are ${GPU_MODES.join(', ')}`);
}

/** A `gpu` backend on a new GPU.js context in `mode`. */
export function makeGpuBackend(mode: GpuMode = 'auto'): Backend & { readonly context: GpuContext } {
  const ctx = createGpuContext(mode);
  const mm: cpu.MatmulFn = (a, b, out, args) => gpuMatmul(ctx, a, b, out, args);
  const cells: cpu.LstmCells = {
    forward: (pre, cPrev, H, rows, gates, c, h) => gpuLstmCellForward(ctx, pre, cPrev, H, rows, gates, c, h),
    backward: (gates, c, cPrev, dh, dcNext, H, rows, dPre, dcPrev) => gpuLstmCellBackward(ctx, gates, c, cPrev, dh, dcNext, H, rows, dPre, dcPrev),
  };
  const base = makeCpuBackend('gpu', ctx.describe(), mm);
  return {
    ...base,
    context: ctx,
    lstmCellForward: cells.forward,
    lstmCellBackward: cells.backward,
    lstmSequenceForward: (xProj, Whh, d) => cpu.lstmSequenceForward(xProj, Whh, d, mm, cells),
    lstmSequenceBackward: (dh, saved, Whh, d, dWhh) => cpu.lstmSequenceBackward(dh, saved, Whh, d, dWhh, mm, cells),
    crfForwardBackward: (e, tr, s, en, d, withMarginals) => gpuCrfForwardBackward(ctx, e, tr, s, en, d, withMarginals),
    viterbi: (e, tr, s, en, d) => gpuViterbi(ctx, e, tr, s, en, d),
    gaussianMmd: (P, n, Q, m, d, bw, unbiased, withGrad) => gpuGaussianMmd(ctx, P, n, Q, m, d, bw, unbiased, withGrad),
  };
}
