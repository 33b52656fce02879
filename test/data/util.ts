/** Shared helpers of the data-layer tests: CorpusError assertions and the shared-corpus location. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CorpusError } from '../../lib/data/index.ts';

/**
 * Asserts that `fn` throws a CorpusError for `file` and `line` (null: whole file) whose message is
 * `file:line: ...` and whose problem mentions every fragment.
 */
export function throwsCorpusError(fn: () => unknown, file: string, line: number | null, ...fragments: string[]): CorpusError {
  let error: unknown = null;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  if (error === null) assert.unreachable(`expected a CorpusError at ${file}:${line}`);
  if (!(error instanceof CorpusError)) {
    assert.unreachable(`expected a CorpusError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
  const e = error as CorpusError;
  assert.is(e.file, file, `file of "${e.message}"`);
  assert.is(e.line, line, `line of "${e.message}"`);
  const place = line === null ? `${file}: ` : `${file}:${line}: `;
  assert.ok(e.message.startsWith(place), `"${e.message}" should start with "${place}"`);
  assert.is(e.message, place + e.problem);
  for (const f of fragments) assert.ok(e.problem.includes(f), `problem "${e.problem}" should mention "${f}"`);
  return e;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The shared corpora: `$LADTL_DATA`, else `../shared/data` relative to the repository root. */
export const SHARED_DATA = process.env.LADTL_DATA ? resolve(process.env.LADTL_DATA) : resolve(repoRoot, '../shared/data');

/** A path inside the shared corpora. */
export function sharedPath(relative: string): string {
  return resolve(SHARED_DATA, relative);
}

/** Whether the shared corpora are present (they are not part of the repository). */
export const hasSharedData = existsSync(resolve(SHARED_DATA, 'pairs.json'));

let warned = false;
/** `test`, or `test.skip` with a clear message when the shared corpora are missing. */
export function dataTest(name: string, fn: () => void | Promise<void>): void {
  if (hasSharedData) {
    test(name, fn);
    return;
  }
  if (!warned) {
    console.warn(`[test/data] skipping real-corpus tests: ${SHARED_DATA} not found (the shared corpora live outside the repository)`);
    warned = true;
  }
  test.skip(name, fn);
}

/** The fixtures folder of the data tests. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/data/', import.meta.url));
