/**
 * 01 — Reverse-mode autodiff, by hand and by the engine.
 *
 *   npx tsx examples/01-autodiff-by-hand.ts
 *
 * f(x, y) = tanh(x·y + x)·y. We differentiate it twice: once with the chain rule written out, once
 * with ladtl's tape (`backward`), and print every intermediate value so the two can be compared line
 * by line. This is all the engine does, for every op, on tensors instead of numbers.
 */
import { backward, parameter } from '../lib/autodiff/index.ts';
import * as ops from '../lib/ops/index.ts';
import { scalar } from '../lib/tensor/index.ts';

const x0 = 0.7, y0 = -1.3;

// By hand: the forward pass, keeping every intermediate value...
const a = x0 * y0; // a = x·y
const b = a + x0; //  b = a + x
const c = Math.tanh(b); // c = tanh(b)
const f = c * y0; //  f = c·y
console.log('forward by hand:  a = x·y = %s, b = a + x = %s, c = tanh(b) = %s, f = c·y = %s', a.toFixed(6), b.toFixed(6), c.toFixed(6), f.toFixed(6));
// ...then the backward pass, from f down: each line is one local derivative times the incoming one.
const df = 1;
const dc = df * y0; // ∂f/∂c = y
const dyFromF = df * c; // ∂f/∂y through f = c·y
const db = dc * (1 - c * c); // tanh' = 1 − tanh²
const da = db; // b = a + x
const dxFromB = db;
const dx = da * y0 + dxFromB; // a = x·y → ∂a/∂x = y; plus the direct path through b
const dy = da * x0 + dyFromF; // a = x·y → ∂a/∂y = x; plus the path through f
console.log('backward by hand: ∂f/∂c = %s, ∂f/∂b = %s, ∂f/∂x = %s, ∂f/∂y = %s', dc.toFixed(6), db.toFixed(6), dx.toFixed(6), dy.toFixed(6));

// The engine: the same expression in ops; `backward` walks the recorded graph in reverse.
const x = parameter(scalar(x0, 'float64'), 'x'), y = parameter(scalar(y0, 'float64'), 'y');
const fe = ops.mul(ops.tanh(ops.add(ops.mul(x, y), x)), y);
backward(fe);
console.log('engine:           f = %s, ∂f/∂x = %s, ∂f/∂y = %s', fe.value.item().toFixed(6), x.grad!.item().toFixed(6), y.grad!.item().toFixed(6));

// And a numerical check, the way every op's test does it: central differences.
const eps = 1e-6, fn = (u: number, v: number) => Math.tanh(u * v + u) * v;
console.log('central diff.:    ∂f/∂x ≈ %s, ∂f/∂y ≈ %s', ((fn(x0 + eps, y0) - fn(x0 - eps, y0)) / (2 * eps)).toFixed(6), ((fn(x0, y0 + eps) - fn(x0, y0 - eps)) / (2 * eps)).toFixed(6));
