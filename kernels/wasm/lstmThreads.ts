/**
 * A Bi-LSTM on two cores (Node): the reverse direction runs on a worker thread (lstmWorker.ts) while
 * the calling thread runs the forward direction, forward and backward. The two directions share
 * nothing but the input, so this halves the Bi-LSTM's time when a second core is free; the results
 * are bit-identical to `lstmBidirectionalForward` / `lstmBidirectionalBackward` (the same kernels on
 * the same numbers; ∂x is summed in the same order), so a seed gives the same run with 1 or 2 threads.
 *
 * Inputs and outputs cross through one SharedArrayBuffer (protocol in lstmThreadProtocol.ts); the
 * calling thread blocks in Atomics.wait for the worker's half, which Node allows on its main thread
 * (a browser page does not: there a second core needs this whole step inside a worker, and
 * SharedArrayBuffer needs cross-origin isolation). Node-only: imported by lib/backend/threads.ts,
 * never by the browser bundles.
 */
import { Worker, MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import {
  lstmDirectionBackward, lstmDirectionForward,
  type BiLstmGrads, type BiLstmSaved, type LstmDirectionDims, type LstmWeights,
} from './lstm.ts';
import { CTRL, CTRL_WORDS, Command, layoutOf } from './lstmThreadProtocol.ts';

/** The worker's bootstrap (a CommonJS script): the TypeScript loader when needed, then the worker module. */
const BOOT = `const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsxApi) (await import(workerData.tsxApi)).register();
  await import(workerData.entry);
})().catch((e) => { setImmediate(() => { throw e; }); });`;

/** How long the calling thread waits for the worker before giving up (a crashed worker). */
const WORKER_TIMEOUT_MS = 120_000;

export class LstmThreads {
  private readonly worker: Worker;
  private readonly ctrl: Int32Array;
  private readonly port: MessagePort;
  private data = new SharedArrayBuffer(0);
  private f32: Float32Array<ArrayBufferLike> = new Float32Array(0);
  private i32: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private seq = 0;
  private nextHandle = 1;
  private failed: Error | null = null;

  constructor() {
    const ctrl = new SharedArrayBuffer(CTRL_WORDS * 4);
    this.ctrl = new Int32Array(ctrl);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    // The worker is this module's sibling with this module's extension: .js when compiled; .ts when
    // run from source, where the worker registers tsx itself (a worker does not inherit the loader).
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const entry = new URL(`./lstmWorker${ext}`, import.meta.url).href;
    const tsxApi = ext === '.ts' ? (typeof import.meta.resolve === 'function' ? import.meta.resolve('tsx/esm/api') : 'tsx/esm/api') : null;
    this.worker = new Worker(BOOT, { eval: true, workerData: { ctrl, port: port2, entry, tsxApi }, transferList: [port2] });
    this.worker.on('error', (e) => { this.failed = e instanceof Error ? e : new Error(String(e)); });
    this.worker.unref(); // an idle worker must not keep the process alive
  }

  /** Stops the worker (it also ends with the process). */
  close(): void {
    this.request(Command.exit, { B: 0, T: 0, I: 0, H: 0 }, 0, 0, false);
    void this.worker.terminate();
  }

  private ensure(floats: number): void {
    if (this.f32.length >= floats) return;
    this.data = new SharedArrayBuffer(Math.ceil(floats * 1.25) * 4);
    this.f32 = new Float32Array(this.data);
    this.i32 = new Int32Array(this.data);
    this.port.postMessage(this.data); // read by the worker before it handles the next request
  }

  private request(command: number, d: { B: number; T: number; I: number; H: number }, flag: number, handle: number, wait: boolean): void {
    const c = this.ctrl;
    c[CTRL.command] = command;
    c[CTRL.B] = d.B; c[CTRL.T] = d.T; c[CTRL.I] = d.I; c[CTRL.H] = d.H;
    c[CTRL.flag] = flag;
    c[CTRL.handle] = handle;
    Atomics.store(c, CTRL.request, ++this.seq);
    Atomics.notify(c, CTRL.request);
    if (wait) this.wait();
  }

  /** Blocks until the worker has answered the last request; rethrows its error. */
  private wait(): void {
    const start = Date.now();
    while (Atomics.load(this.ctrl, CTRL.done) !== this.seq) {
      if (this.failed) throw new Error(`lstm worker died: ${this.failed.message}`);
      if (Date.now() - start > WORKER_TIMEOUT_MS) throw new Error(`lstm worker did not answer within ${WORKER_TIMEOUT_MS / 1000} s`);
      Atomics.wait(this.ctrl, CTRL.done, Atomics.load(this.ctrl, CTRL.done), 100);
    }
    if (Atomics.load(this.ctrl, CTRL.status) !== 0) {
      const m = receiveMessageOnPort(this.port);
      throw new Error(`lstm worker: ${m ? String(m.message) : 'unknown error'}`);
    }
  }

  private copyDirectionInputs(x: Float32Array, w: LstmWeights, d: LstmDirectionDims): ReturnType<typeof layoutOf> {
    const L = layoutOf(d);
    this.ensure(L.floats);
    const G = 4 * d.H;
    this.f32.set(x.subarray(0, d.B * d.T * d.I), L.x);
    this.f32.set(w.Wih.subarray(0, d.I * G), L.Wih);
    this.f32.set(w.Whh.subarray(0, d.H * G), L.Whh);
    this.f32.set(w.bias.subarray(0, G), L.bias);
    this.i32.set(d.lengths, L.lengths);
    return L;
  }

  /** Same contract as `lstmBidirectionalForward`. */
  forward(x: Float32Array, fwd: LstmWeights, bwd: LstmWeights, d: LstmDirectionDims, keep: boolean): { h: Float32Array; saved: BiLstmSaved | null } {
    const { B, T, H } = d;
    const L = this.copyDirectionInputs(x, bwd, d);
    const handle = keep ? this.nextHandle++ : 0;
    this.request(Command.forward, d, keep ? 1 : 0, handle, false);
    const h = new Float32Array(B * T * 2 * H);
    const f = lstmDirectionForward(x, fwd.Wih, fwd.Whh, fwd.bias, { ...d, reverse: false }, keep, { data: h, rowStride: 2 * H, offset: 0 });
    this.wait();
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < d.lengths[b]; t++) {
        const from = L.h + (b * T + t) * H;
        h.set(this.f32.subarray(from, from + H), (b * T + t) * 2 * H + H);
      }
    }
    return { h, saved: keep ? { forward: f.saved!, backward: { handle } } : null };
  }

  /** Same contract as `lstmBidirectionalBackward`. */
  backward(dh: Float32Array, saved: BiLstmSaved, x: Float32Array, fwd: LstmWeights, bwd: LstmWeights, d: LstmDirectionDims, needDx: boolean): BiLstmGrads {
    if (!('handle' in saved.backward)) throw new Error('LstmThreads.backward: saved state is not from LstmThreads.forward');
    const { B, T, I, H } = d;
    const G = 4 * H;
    const L = this.copyDirectionInputs(x, bwd, d);
    this.f32.set(dh.subarray(0, B * T * 2 * H), L.dh);
    this.request(Command.backward, d, needDx ? 1 : 0, saved.backward.handle, false);
    const dx = needDx ? new Float32Array(B * T * I) : null;
    const forward = lstmDirectionBackward({ data: dh, rowStride: 2 * H, offset: 0 }, saved.forward, x, fwd.Wih, fwd.Whh, { ...d, reverse: false }, dx ?? false);
    this.wait();
    const f32 = this.f32;
    const backward = {
      dx: null,
      dWih: f32.slice(L.dWih, L.dWih + I * G),
      dWhh: f32.slice(L.dWhh, L.dWhh + H * G),
      dBias: f32.slice(L.dBias, L.dBias + G),
    };
    // dx = dx_forward + dx_reverse, summed in the order the single-thread version uses.
    if (dx) for (let i = 0; i < dx.length; i++) dx[i] += f32[L.dx + i];
    return { dx, forward, backward };
  }
}
