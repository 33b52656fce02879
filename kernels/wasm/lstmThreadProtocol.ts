/**
 * The shared-memory protocol between lstmThreads.ts (main thread) and lstmWorker.ts: a small
 * Int32Array control block and one SharedArrayBuffer of data whose layout both sides compute from
 * the batch dimensions.
 *
 * A request: the main thread copies the inputs into the data buffer, writes the command and the
 * dimensions into the control block, increments `request` and notifies; the worker wakes, runs, sets
 * `status` (0 ok, 1 error, with the message on the port) and stores the request number in `done`.
 * The main thread works on its own direction meanwhile, then waits for `done`.
 */

/** Indices into the control block. */
export const CTRL = { request: 0, done: 1, command: 2, status: 3, B: 4, T: 5, I: 6, H: 7, flag: 8, handle: 9 } as const;
export const CTRL_WORDS = 16;

export const Command = { forward: 1, backward: 2, exit: 3 } as const;

/** Saved forward passes the worker keeps at most (a La-DTL step has two Bi-LSTM passes in flight). */
export const MAX_SAVED = 16;

/** Float offsets of the regions of the data buffer (64-byte aligned), and its size in floats. */
export interface DataLayout {
  x: number;
  Wih: number;
  Whh: number;
  bias: number;
  lengths: number;
  h: number;
  dh: number;
  dx: number;
  dWih: number;
  dWhh: number;
  dBias: number;
  floats: number;
}

export function layoutOf(d: { B: number; T: number; I: number; H: number }): DataLayout {
  const G = 4 * d.H;
  let top = 0;
  const take = (n: number): number => {
    const at = top;
    top += Math.ceil(Math.max(n, 1) / 16) * 16;
    return at;
  };
  const x = take(d.B * d.T * d.I), Wih = take(d.I * G), Whh = take(d.H * G), bias = take(G), lengths = take(d.B);
  const h = take(d.B * d.T * d.H), dh = take(d.B * d.T * 2 * d.H), dx = take(d.B * d.T * d.I);
  const dWih = take(d.I * G), dWhh = take(d.H * G), dBias = take(G);
  return { x, Wih, Whh, bias, lengths, h, dh, dx, dWih, dWhh, dBias, floats: top };
}
