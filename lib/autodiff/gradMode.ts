/**
 * Whether ops record the graph. Under `noGrad` every op output is a constant, so evaluation and
 * decoding allocate no closures and keep no intermediate values alive.
 */
let enabled = true;

/** Runs `fn` without recording a graph; restores the previous mode even if `fn` throws. */
export function noGrad<T>(fn: () => T): T {
  const previous = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/** True when ops should record the graph. */
export function isGradEnabled(): boolean {
  return enabled;
}
