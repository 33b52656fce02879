/**
 * GPU.js twin of `kernels/cpu/matmul.ts`: out[m×n] (=|+=) op(a)·op(b), row-major, contiguous from
 * the offsets, same arguments. One thread per output element runs the k-long dot product (the
 * textbook GPU product: no tiling, since GPU.js exposes no shared memory). Accumulation into `out`
 * and the output offset are applied on the host. float64 operands are computed by the CPU twin:
 * the device works in float32 only.
 */
import { matmul as cpuMatmul, type MatmulArgs } from '../cpu/matmul.ts';
import type { FloatArray } from '../cpu/types.ts';
import type { GpuContext } from './context.ts';

/** Kernel body: thread x is output element (i, j) = (⌊x/n⌋, x mod n). */
function matmulKernel(this: any, a: number[], b: number[], m: number, k: number, n: number, transA: number, transB: number, aOff: number, bOff: number): number {
  const i = Math.floor((this.thread.x + 0.5) / n);
  const j = this.thread.x - i * n;
  let s = 0;
  for (let p = 0; p < k; p++) {
    let av = 0;
    let bv = 0;
    if (transA > 0.5) { av = a[aOff + p * m + i]; } else { av = a[aOff + i * k + p]; }
    if (transB > 0.5) { bv = b[bOff + j * k + p]; } else { bv = b[bOff + p * n + j]; }
    s += av * bv;
  }
  return s;
}

/** The product on `ctx`, with the CPU kernel's contract (see kernels/cpu/matmul.ts). */
export function gpuMatmul(ctx: GpuContext, a: FloatArray, b: FloatArray, out: FloatArray, args: MatmulArgs): void {
  if (!(a instanceof Float32Array) || !(b instanceof Float32Array) || !(out instanceof Float32Array)) return cpuMatmul(a, b, out, args);
  const { m, k, n } = args;
  const cOff = args.outOffset ?? 0;
  const size = m * n;
  if (size === 0) return;
  if (k === 0) {
    if (!args.accumulate) out.fill(0, cOff, cOff + size);
    return;
  }
  const r = ctx.run('matmul', matmulKernel, size, [a, b, m, k, n, args.transA ? 1 : 0, args.transB ? 1 : 0, args.aOffset ?? 0, args.bOffset ?? 0]);
  if (args.accumulate) for (let i = 0; i < size; i++) out[cOff + i] += r[i];
  else out.set(r, cOff);
}
