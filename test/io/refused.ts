/** Shared by the io tests: asserts a ModelFileError of a given reason whose message has every fragment. */
import * as assert from 'uvu/assert';
import { ModelFileError, type ModelFileErrorReason } from '../../lib/io/index.ts';

export function refused(fn: () => unknown, reason: ModelFileErrorReason, ...fragments: string[]): ModelFileError {
  let caught: unknown = null;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  if (caught === null) assert.unreachable(`expected a ModelFileError (${reason})`);
  if (!(caught instanceof ModelFileError)) throw caught;
  assert.is(caught.reason, reason, caught.message);
  for (const f of fragments) assert.ok(caught.message.includes(f), `"${caught.message}" should mention "${f}"`);
  return caught;
}
