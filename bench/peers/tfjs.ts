/**
 * TF.js set-up shared by the peer benchmarks: the `cpu` (plain JS) and `wasm` backends in this
 * process, synchronous switching between them, and the gradient functions.
 *
 * Gradients. `@tensorflow/tfjs-core`'s Node bundle (the package's `main`) registers no gradient
 * functions: the `@tensorflow/tfjs` union package does that by importing
 * `@tensorflow/tfjs-core/dist/register_all_gradients`. Only tfjs-core is installed here, so we load
 * that same module from tfjs-core's own ES-module build. Its imports have no file extensions, which
 * Node's ESM loader rejects, so it is `require`d instead (tsx, which runs the benchmarks, compiles it
 * to CommonJS on the fly). That loads a second copy of tfjs-core's modules, but the kernel and
 * gradient registries and the engine live in a process-global namespace, so the gradients land in
 * the registry the bundle's engine reads (the checks in the suites would fail otherwise). The load
 * takes a few seconds the first time and is outside every timing.
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';

// Production mode only mutes tfjs's warn/info channel (the "install tfjs-node" banner).
tf.enableProdMode();

export type TfBackend = 'cpu' | 'wasm';
export const TF_BACKENDS: readonly TfBackend[] = ['cpu', 'wasm'];

export { tf };

/** Registers tfjs-core's gradient functions once (see the file comment). */
export function registerTfGradients(): void {
  if (tf.getGradient(tf.Sum) !== undefined) return;
  createRequire(import.meta.url)('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  if (tf.getGradient(tf.Sum) === undefined) throw new Error('tfjs gradients failed to register');
}

/** Initialises both backends and the gradients; call once before `activate`. */
export async function initTf(): Promise<void> {
  registerTfGradients();
  for (const name of TF_BACKENDS) {
    if (!(await tf.setBackend(name))) throw new Error(`tfjs backend "${name}" failed to initialise`);
    await tf.ready();
  }
}

/**
 * Makes `name` the active tfjs backend from synchronous code (Benchmark.js's `onStart` hook cannot
 * await). Once a backend is initialised, `tf.setBackend` switches before returning its promise; that
 * is an implementation detail, hence the check.
 */
export function activate(name: TfBackend): void {
  void tf.setBackend(name);
  if (tf.getBackend() !== name) {
    throw new Error(`could not switch tfjs to the "${name}" backend synchronously (active: ${tf.getBackend()})`);
  }
}

/** Versions and wasm build flags, for the suites' `meta`. */
export function tfMeta(): { tfjsCore: string; tfjsBackendWasm: string; wasmSimd: boolean; wasmThreads: boolean } {
  return {
    tfjsCore: tf.version_core,
    tfjsBackendWasm: version_wasm,
    wasmSimd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
    wasmThreads: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
  };
}

/**
 * `tf.gather(x, indices)` along axis 0 with a gradient that scatters back with `tf.scatterND`
 * (which sums duplicate indices, as the stock gradient does).
 *
 * Why: the stock gradient of `tf.gather` is `UnsortedSegmentSum`, which the wasm backend does not
 * implement ("Kernel 'UnsortedSegmentSum' not registered for backend 'wasm'"), so training an
 * embedding with TF.js on wasm needs this. The same helper is used on the cpu backend so that both
 * TF.js backends run the same graph.
 */
export function gatherRows(x: tf.Tensor2D, indices: Int32Array): tf.Tensor2D {
  const [rows, cols] = x.shape;
  const n = indices.length;
  const op = tf.customGrad((table: tf.Tensor | tf.GradSaveFunc) => ({
    value: tf.gather(table as tf.Tensor2D, tf.tensor1d(indices, 'int32')),
    gradFunc: (dy: tf.Tensor) => tf.scatterND(tf.tensor2d(indices, [n, 1], 'int32'), dy, [rows, cols]),
  }));
  return op(x) as tf.Tensor2D;
}
