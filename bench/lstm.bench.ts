/**
 * How close the fused LSTM kernels come to the machine's matrix-product peak. Times one Bi-LSTM
 * direction as training runs it (`ops.lstmSequence` forward, then its backward through the tape) at
 * the La-DTL step sizes (batch 15 of one domain and 30 = source + target, 40 tokens, input 100,
 * hidden 100), converts to GFLOP/s, and divides by the float32 matmul peak measured in the same run
 * on the same backend (the best of a square product and the LSTM's own recurrent product shape).
 *
 * FLOPs counted per real (non-padding) token of one direction, I = input, H = hidden, G = 4H:
 *   forward   2·I·G (input projection) + 2·H·G (recurrent product)
 *   backward  2·G·I (dX) + 2·I·G (dW_ih) + 2·G·H (dh_{t−1}) + 2·H·G (dW_hh)
 * i.e. 24·H·(I + H) per token; the element-wise gate work (5 transcendentals per hidden unit) is not
 * counted, which is why the ratio to the matmul peak cannot reach 1.
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
    const flopsFwd = tokens * 2 * G * (I + H), flopsBoth = tokens * 6 * G * (I + H);
    fwd.gflops = flopsFwd / (fwd.msPerOp * 1e6);
    both.gflops = flopsBoth / (both.msPerOp * 1e6);
    groups.push({
      name: `lstm direction, batch ${B} × ${T}, input ${I}, hidden ${H}`,
      params: { batch: B, length: T, input: I, hidden: H, realTokens: tokens },
      cases: [fwd, both],
      ratios: { forwardOfPeak: fwd.gflops / peak, forwardBackwardOfPeak: both.gflops / peak },
      checks: { matmulPeakGflops: peak, matmul256Gflops: peakSquare, matmulStepGflops: peakStep },
    });
    for (const c of [fwd, both]) rows.push([`B=${B} ${c.name}`, fmt(c.msPerOp), `±${c.rmePercent.toFixed(1)}%`, fmt(tokens / (c.msPerOp / 1000)), fmt(c.gflops!), `${(100 * c.gflops! / peak).toFixed(0)}%`]);
  }
  console.log(formatTable(['case', 'ms', '±rme', 'tokens/s', 'GFLOP/s', 'of peak'], rows));
  return { suite: 'lstm', meta: { backend: backend.description, flopsPerToken: '24·H·(I+H) for forward + backward' }, groups };
}
