/**
 * Worker side of the two-core Bi-LSTM (lstmThreads.ts): runs the reverse direction of
 * `lstmDirectionForward` / `lstmDirectionBackward` on its own wasm memory while the main thread runs
 * the forward direction. Requests arrive through a SharedArrayBuffer (see the protocol in
 * lstmThreads.ts); the saved state of each forward pass stays here, under a handle, until its
 * backward pass (at most MAX_SAVED are kept: a graph dropped without backward cannot leak more).
 */
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { lstmDirectionBackward, lstmDirectionForward, type LstmDirectionSaved } from './lstm.ts';
import { CTRL, Command, MAX_SAVED, layoutOf } from './lstmThreadProtocol.ts';

const ctrl = new Int32Array(workerData.ctrl as SharedArrayBuffer);
const port = workerData.port as MessagePort;
let data = new SharedArrayBuffer(0);
const saved = new Map<number, LstmDirectionSaved>();

function serve(): void {
  let seen = 0;
  for (;;) {
    Atomics.wait(ctrl, CTRL.request, seen);
    seen = Atomics.load(ctrl, CTRL.request);
    // A grown data buffer is announced on the port before the request that needs it.
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) data = m.message as SharedArrayBuffer;
    try {
      run();
      Atomics.store(ctrl, CTRL.status, 0);
    } catch (e) {
      Atomics.store(ctrl, CTRL.status, 1);
      port.postMessage(e instanceof Error ? e.stack ?? e.message : String(e));
    }
    Atomics.store(ctrl, CTRL.done, seen);
    Atomics.notify(ctrl, CTRL.done);
    if (Atomics.load(ctrl, CTRL.command) === Command.exit) return;
  }
}

function run(): void {
  const command = Atomics.load(ctrl, CTRL.command);
  if (command === Command.exit) return;
  const dims = { B: ctrl[CTRL.B], T: ctrl[CTRL.T], I: ctrl[CTRL.I], H: ctrl[CTRL.H] };
  const L = layoutOf(dims);
  const f32 = new Float32Array(data), i32 = new Int32Array(data);
  const view = (at: number, n: number): Float32Array => f32.subarray(at, at + n);
  const G = 4 * dims.H;
  const d = { ...dims, lengths: i32.subarray(L.lengths, L.lengths + dims.B), reverse: true };
  const x = view(L.x, dims.B * dims.T * dims.I), Wih = view(L.Wih, dims.I * G), Whh = view(L.Whh, dims.H * G), bias = view(L.bias, G);
  const handle = ctrl[CTRL.handle];
  if (command === Command.forward) {
    const keep = ctrl[CTRL.flag] === 1;
    const out = view(L.h, dims.B * dims.T * dims.H);
    out.fill(0);
    const r = lstmDirectionForward(x, Wih, Whh, bias, d, keep, { data: out, rowStride: dims.H, offset: 0 });
    if (r.saved) {
      saved.set(handle, r.saved);
      if (saved.size > MAX_SAVED) saved.delete(saved.keys().next().value as number);
    }
  } else if (command === Command.backward) {
    const s = saved.get(handle);
    if (!s) throw new Error(`lstm worker: no saved forward pass ${handle} (backward called twice, or more than ${MAX_SAVED} graphs in flight)`);
    saved.delete(handle);
    const needDx = ctrl[CTRL.flag] === 1;
    const dh = view(L.dh, dims.B * dims.T * 2 * dims.H);
    const g = lstmDirectionBackward({ data: dh, rowStride: 2 * dims.H, offset: dims.H }, s, x, Wih, Whh, d, needDx);
    view(L.dWih, dims.I * G).set(g.dWih);
    view(L.dWhh, dims.H * G).set(g.dWhh);
    view(L.dBias, G).set(g.dBias);
    if (g.dx) view(L.dx, dims.B * dims.T * dims.I).set(g.dx);
  } else {
    throw new Error(`lstm worker: unknown command ${command}`);
  }
}

parentPort?.postMessage('ready');
serve();
