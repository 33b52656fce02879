/**
 * How close the fused LSTM kernels come to the machine's matrix-product peak. Times one Bi-LSTM
 * direction as training runs it (`ops.lstmSequence` forward, then its backward through the tape) at
 * the La-DTL step sizes (batch 15 of one domain and 30 = source + target, 40 tokens, input 100,
 * hidden 100), converts to GFLOP/s, and divides by the float32 matmul peak measured in the same run
 * on the same backend (the best of a square product and the LSTM's own recurrent product shape).
 *
 * FLOPs: only the matrix products the op actually executes in this configuration are counted (2·m·k·n
 * each), so the figure is the work done, not a textbook count. I = input, H = hidden, G = 4H,
 * B sentences padded to T, N = Σ lengths real tokens, S = the longest length. Here x is a constant
 * (requiresGrad false), so the backward runs no dX product (in the tagger it does: the embedding
 * table is trained); the weights and the bias require gradients.
 *
 *  - fused path (the default cpu backend's wasm direction for float32, kernels/wasm/lstm.ts: packed
 *    sequences, no work on padding, no recurrent product at step 0 where h = 0):
 *      forward   2·N·I·G (input projection) + 2·(N − B)·H·G (h_{t−1}·W_hh, steps ≥ 1)
 *      backward  2·(N − B)·G·H (dh_{t−1} = dPre·W_hhᵀ) + 2·H·(N − B)·G (dW_hh) + 2·I·N·G (dW_ih)
 *  - TypeScript kernel path (lib/ops/lstmSequence.ts around kernels/cpu/lstm.ts: every padded row):
 *      forward   2·B·T·I·G (input projection over all B·T rows) + 2·S·B·H·G (h·W_hh every step, all B rows)
 *      backward  2·S·B·G·H (dh_{t−1}) + 2·S·B·H·G (dW_hh, a rank-B update per step) + 2·I·B·T·G (dW_ih)
 * dX (2·G·I per row) would only run if x required a gradient. Not counted: the bias add and the db
 * column sums (G per row each) and the element-wise gate work (5 transcendentals per hidden unit),
 * which is why the ratio to the matmul peak cannot reach 1. Tokens/s are real tokens (N) on both paths.
 */
import { getBackend } from '../lib/backend/index.ts';
import { backward, Variable } from '../lib/autodiff/index.ts';
import * as ops from '../lib/ops/index.ts';
import { Rng, Tensor } from '../lib/tensor/index.ts';
import { fmt, formatTable, timeCases, warmUp, type GroupResult, type SuiteOptions, type SuiteResult } from './harness.ts';

function randomTensor(rng: Rng, shape: number[], scale: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = (rng.uniform() * 2 - 1) * scale;
  return new Tensor(data, shape);
}

/** GFLOP/s of the backend's float32 matmul on an m×k·k×n product. */
function matmulGflops(m: number, k: number, n: number, quick: boolean): number {
  const rng = new Rng(7);
  const a = randomTensor(rng, [m, k], 1).data as Float32Array, b = randomTensor(rng, [k, n], 1).data as Float32Array;
  const out = new Float32Array(m * n);
  const mm = getBackend().matmul;
  const fn = (): void => mm(a, b, out, { m, k, n });
  warmUp(fn, quick ? 100 : 400);
  const [r] = timeCases(`matmul ${m}×${k}·${k}×${n}`, [{ name: 'matmul', fn }], { minSamples: 5, maxTime: quick ? 0.5 : 2 });
  return (2 * m * k * n) / (r.msPerOp * 1e6);
}

/**
 * Matrix-product FLOPs that `ops.lstmSequence` executes for one direction (see the file comment), on
 * the path it takes on the current backend: the fused direction when the backend has one that
 * supports these sizes (the inputs here are float32), else the TypeScript kernels.
 */
function executedFlops(B: number, T: number, I: number, H: number, lengths: Int32Array, dx: boolean): { flopsFwd: number; flopsBoth: number; path: 'fused' | 'kernels' } {
  const G = 4 * H;
  const N = lengths.reduce((a, b) => a + b, 0), S = Math.max(...lengths);
  const fused = getBackend().lstmDirection?.supports({ H, I }) ?? false;
  if (fused) {
    const fwd = 2 * N * I * G + 2 * (N - B) * H * G;
    const bwd = 2 * (N - B) * G * H + 2 * H * (N - B) * G + 2 * I * N * G + (dx ? 2 * N * G * I : 0);
    return { flopsFwd: fwd, flopsBoth: fwd + bwd, path: 'fused' };
  }
  const fwd = 2 * B * T * I * G + 2 * S * B * H * G;
  const bwd = 2 * S * B * G * H + 2 * S * B * H * G + 2 * I * B * T * G + (dx ? 2 * B * T * G * I : 0);
  return { flopsFwd: fwd, flopsBoth: fwd + bwd, path: 'kernels' };
}

export async function run(options: SuiteOptions): Promise<SuiteResult> {
  const I = 100, H = 100, T = 40, G = 4 * H;
  const backend = getBackend();
  const peakSquare = matmulGflops(256, 256, 256, options.quick);
  const peakStep = matmulGflops(30, H, G, options.quick);
  const peak = Math.max(peakSquare, peakStep);
  console.log(`\n== lstm: fused LSTM direction vs the matmul peak (backend ${backend.name}) ==`);
  console.log(`float32 matmul in this run: ${fmt(peakSquare)} GFLOP/s at 256³, ${fmt(peakStep)} GFLOP/s at 30×100·100×400 (the recurrent product); peak = ${fmt(peak)}`);
  const groups: GroupResult[] = [];
  const rows: string[][] = [];
  for (const B of [15, 30]) {
    const rng = new Rng(B);
    const lengths = Int32Array.from({ length: B }, (_, b) => (b === 0 ? T : T - rng.int(T / 4)));
    const tokens = lengths.reduce((a, b) => a + b, 0);
    const x = new Variable(randomTensor(rng, [B, T, I], 1));
    const Wih = new Variable(randomTensor(rng, [I, G], 0.1), { requiresGrad: true });
    const Whh = new Variable(randomTensor(rng, [H, G], 0.1), { requiresGrad: true });
    const bias = new Variable(randomTensor(rng, [G], 0.1), { requiresGrad: true });
    const forward = (): void => { ops.lstmSequence(x, Wih, Whh, bias, lengths, false); };
    const forwardBackward = (): void => {
      Wih.zeroGrad(); Whh.zeroGrad(); bias.zeroGrad();
      backward(ops.sum(ops.lstmSequence(x, Wih, Whh, bias, lengths, false)));
    };
    warmUp(forwardBackward, options.quick ? 200 : 800);
    const timing = { minSamples: 5, maxTime: options.quick ? 1 : 3 };
    const [fwd, both] = timeCases(`lstm B=${B}`, [{ name: 'forward', fn: forward }, { name: 'forward + backward', fn: forwardBackward }], timing);
    const { flopsFwd, flopsBoth, path } = executedFlops(B, T, I, H, lengths, x.requiresGrad);
    fwd.gflops = flopsFwd / (fwd.msPerOp * 1e6);
    both.gflops = flopsBoth / (both.msPerOp * 1e6);
    groups.push({
      name: `lstm direction, batch ${B} × ${T}, input ${I}, hidden ${H}`,
      params: { batch: B, length: T, input: I, hidden: H, realTokens: tokens, path, flopsForward: flopsFwd, flopsForwardBackward: flopsBoth },
      cases: [fwd, both],
      ratios: { forwardOfPeak: fwd.gflops / peak, forwardBackwardOfPeak: both.gflops / peak },
      checks: { matmulPeakGflops: peak, matmul256Gflops: peakSquare, matmulStepGflops: peakStep },
    });
    for (const c of [fwd, both]) rows.push([`B=${B} ${c.name}`, fmt(c.msPerOp), `±${c.rmePercent.toFixed(1)}%`, fmt(tokens / (c.msPerOp / 1000)), fmt(c.gflops!), `${(100 * c.gflops! / peak).toFixed(0)}%`]);
  }
  console.log(formatTable(['case', 'ms', '±rme', 'tokens/s', 'GFLOP/s', 'of peak'], rows));
  const paths = [...new Set(groups.map((g) => g.params.path))].join(', ');
  console.log(`FLOPs: the matrix products executed on the ${paths} path (no dX: x needs no gradient), padding included only where the path computes it; see bench/lstm.bench.ts`);
  return {
    suite: 'lstm',
    meta: {
      backend: backend.description,
      lstmPath: paths,
      flops: 'matrix products actually executed (2·m·k·n each); fused path: forward 2·G·(N·I + (N−B)·H), backward 2·G·(2·(N−B)·H + N·I); kernel path: forward 2·G·(B·T·I + S·B·H), backward 2·G·(2·S·B·H + B·T·I); no dX (x is constant); N = real tokens, S = longest length, G = 4H',
    },
    groups,
  };
}
