/**
 * A process killed in the middle of saving a model (after its temporary file is complete, before the
 * rename: the LADTL_TEST_KILL_BEFORE_RENAME hook) leaves the previous model intact and a temporary
 * file, which the next write to that path removes (issue 15, point 5); a live writer's is left alone.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writeModelFileAtomic } from '../../lib/io/nodeFiles.ts';

const dir = mkdtempSync(join(tmpdir(), 'ladtl-killsave-'));
const path = join(dir, 'model.ladtl');
const writer = fileURLToPath(new URL('../../lib/io/nodeFiles.ts', import.meta.url));

test('SIGKILL between the temporary file and the rename: old model intact, temporary removed by the next writer', () => {
  writeModelFileAtomic(path, Uint8Array.of(1, 2, 3));
  const script = `import { writeModelFileAtomic } from ${JSON.stringify(writer)}; writeModelFileAtomic(${JSON.stringify(path)}, new Uint8Array(1 << 20).fill(7));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, LADTL_TEST_KILL_BEFORE_RENAME: '1' }, encoding: 'utf8' });
  assert.is(r.signal, 'SIGKILL', r.stderr);
  assert.equal([...readFileSync(path)], [1, 2, 3], 'the previous model is intact');
  const temps = readdirSync(dir).filter((f) => f.endsWith('.tmp'));
  assert.is(temps.length, 1, 'the killed writer left its temporary file');
  // A temporary file of a live process (this one) must survive the cleanup.
  const live = `.model.ladtl.${process.pid}.abcdef.tmp`;
  writeFileSync(join(dir, live), 'x');
  writeModelFileAtomic(path, Uint8Array.of(4, 5));
  assert.equal(readdirSync(dir).sort(), [live, 'model.ladtl'].sort());
  assert.equal([...readFileSync(path)], [4, 5]);
});

test.run();
