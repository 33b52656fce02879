/**
 * The default CPU backend with the Bi-LSTM on two cores (kernels/wasm/lstmThreads.ts): the reverse
 * direction on a worker thread. Node-only, so it is opt-in: `ladtl train --threads 2` calls
 * `useLstmThreads(2)`; nothing in lib/ imports this file, and browser bundles never carry it.
 * Results are bit-identical to one thread.
 */
import { LstmThreads } from '../../kernels/wasm/lstmThreads.ts';
import type { Backend } from './backend.ts';
import { makeDefaultCpuBackend } from './cpuBackend.ts';
import { registerBackend, setBackend } from './registry.ts';

let threads: LstmThreads | null = null;

/** A `cpu` backend whose Bi-LSTM runs its two directions on two threads. */
export function makeThreadedCpuBackend(): Backend {
  const base = makeDefaultCpuBackend();
  if (!base.lstmDirection) return base; // no wasm SIMD: no fused LSTM to thread
  threads ??= new LstmThreads();
  const t = threads;
  return {
    ...base,
    description: `${base.description}; Bi-LSTM directions on 2 threads`,
    lstmDirection: {
      ...base.lstmDirection,
      // With cached input projections (inference), the thread would receive megabytes of rows for a
      // forward pass that is a third cheaper: one thread does it, with the same results.
      bidirectionalForward: (x, f, b, d, keep, projection) => (projection ? base.lstmDirection!.bidirectionalForward(x, f, b, d, keep, projection) : t.forward(x, f, b, d, keep)),
      bidirectionalBackward: (dh, saved, x, f, b, d, needDx) => t.backward(dh, saved, x, f, b, d, needDx),
    },
  };
}

/**
 * Makes the active backend `cpu` with `n` threads for the Bi-LSTM (1 or 2; more cores would not
 * help a Bi-LSTM, which has two independent directions). Returns the backend's description.
 */
export function useLstmThreads(n: number): string {
  if (n !== 1 && n !== 2) throw new Error(`threads: 1 or 2, got ${n}`);
  if (n === 2) registerBackend('cpu', makeThreadedCpuBackend);
  else registerBackend('cpu', makeDefaultCpuBackend);
  return setBackend('cpu').description;
}
