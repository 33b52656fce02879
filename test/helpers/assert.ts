/** Small numeric assertions shared by the tests. */
import * as assert from 'uvu/assert';

/**
 * Asserts two arrays agree element-wise within a per-element tolerance: |a_i − b_i| ≤ tol(i), or
 * a_i === b_i (equal infinities). Fails naming the first element outside.
 */
export function assertWithin(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: (i: number) => number, what = 'values'): void {
  assert.is(actual.length, expected.length, `${what}: length ${actual.length} vs ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i], b = expected[i], d = Math.abs(a - b);
    if (!(d <= tol(i)) && !(a === b)) {
      assert.unreachable(`${what}[${i}]: ${a} vs expected ${b} (|Δ| ${d.toExponential(2)} > ${tol(i).toExponential(2)})`);
    }
  }
}

/** Asserts two arrays agree element-wise within |a − b| ≤ atol + rtol·|b|. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol = 1e-6, rtol = 1e-6, what = 'values'): void {
  assertWithin(actual, expected, (i) => atol + rtol * Math.abs(expected[i]), what);
}

/** Asserts that `fn` throws an error whose message contains every fragment. */
export function assertThrowsWith(fn: () => unknown, ...fragments: string[]): void {
  let message: string | null = null;
  try {
    fn();
  } catch (e) {
    message = e instanceof Error ? e.message : String(e);
  }
  if (message === null) assert.unreachable(`expected an error mentioning ${fragments.join(', ')}`);
  for (const f of fragments) {
    assert.ok(message!.includes(f), `error "${message}" should mention "${f}"`);
  }
}
