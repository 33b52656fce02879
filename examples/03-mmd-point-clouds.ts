/**
 * 03 — Maximum mean discrepancy: pulling two point clouds together.
 *
 *   npx tsx examples/03-mmd-point-clouds.ts
 *
 * P: 40 points around (−2, 0); Q: 40 points around (+2, 1) (the "source" and "target" features of
 * one label, in 2-D instead of the Bi-LSTM's 200). MMD² with a sum of Gaussian kernels (paper E8–E9)
 * is large when the clouds differ and 0 when they coincide. We treat Q as parameters and follow
 * −∂MMD²/∂Q, printing MMD², the clouds' means and spreads as Q moves onto P: this is what the
 * La-MMD term does to the target tokens of each label through the shared encoder. (Only Q moves
 * here; in La-DTL both sides move, through the encoder's weights.)
 */
import { backward, constant, parameter } from '../lib/autodiff/index.ts';
import * as ops from '../lib/ops/index.ts';
import { Rng, Tensor } from '../lib/tensor/index.ts';

const rng = new Rng(3);
const n = 40;
function cloud(cx: number, cy: number, spread: number): Float64Array {
  const a = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) { a[2 * i] = cx + spread * rng.normal(); a[2 * i + 1] = cy + spread * rng.normal(); }
  return a;
}
const P = constant(new Tensor(cloud(-2, 0, 0.5), [n, 2]));
let Qdata = cloud(2, 1, 1.0);
// Bandwidths (as variances). Narrow kernels only see nearby points: a point of Q far from every
// point of P gets almost no gradient from them. The wide ones pull stragglers in; the narrow ones
// match the clouds' shape once they overlap. That is why the paper sums kernels whose variances span
// 1e-6 … 1e6 (E9): no single width works at every distance.
const bandwidths = [0.25, 1, 4, 16, 64, 256];

function stats(a: ArrayLike<number>): string {
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += a[2 * i] / n; my += a[2 * i + 1] / n; }
  let s = 0;
  for (let i = 0; i < n; i++) s += ((a[2 * i] - mx) ** 2 + (a[2 * i + 1] - my) ** 2) / n;
  return `mean (${mx.toFixed(2)}, ${my.toFixed(2)}), spread ${Math.sqrt(s).toFixed(2)}`;
}

console.log(`P: ${stats(P.value.values())}`);
const lr = 10;
for (let step = 0; step <= 600; step++) {
  const Q = parameter(new Tensor(Qdata, [n, 2]));
  const m = ops.gaussianMmd(P, Q, { bandwidths });
  backward(m);
  if (step % 60 === 0) console.log(`step ${String(step).padStart(3)}: MMD² = ${m.value.item().toFixed(5)}   Q: ${stats(Qdata)}`);
  const g = Q.grad!.values();
  Qdata = Qdata.map((v, i) => v - lr * g[i]);
}
