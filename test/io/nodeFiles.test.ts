import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor } from '../../lib/tensor/index.ts';
import { encodeModelFile, ModelFileError, type ModelContents } from '../../lib/io/index.ts';
import { writeModelFileAtomic, readModelFile } from '../../lib/io/nodeFiles.ts';

let dir = '';
test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'ladtl-io-'));
});
test.after.each(() => {
  rmSync(dir, { recursive: true, force: true });
});

const model = (value: number, note = '肺炎 🫁'): ModelContents => ({
  kind: 'tagger', config: { note }, metadata: { labels: ['O', 'B-疾病'] }, tensors: new Map([['w', tensor([value, -value, 0.25], [3])]]),
});

function caught(fn: () => unknown): ModelFileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ModelFileError) return e;
    throw e;
  }
  return assert.unreachable('expected a ModelFileError') as never;
}

test('write then read round trips, and the file holds exactly the encoded bytes', () => {
  const path = join(dir, 'model.ladtl');
  const bytes = encodeModelFile(model(1.5));
  writeModelFileAtomic(path, bytes);
  assert.equal(Array.from(readFileSync(path)), Array.from(bytes));
  const back = readModelFile(path);
  assert.equal(back.tensors.get('w')!.toArray(), [1.5, -1.5, 0.25]);
  assert.equal(back.config, { note: '肺炎 🫁' });
  assert.equal(readdirSync(dir), ['model.ladtl'], 'no temporary file is left behind');
});

test('writing over an existing file replaces it whole and leaves no temporary files', () => {
  const path = join(dir, 'model.ladtl');
  writeModelFileAtomic(path, encodeModelFile(model(1, 'a much longer note than the one that replaces it '.repeat(20))));
  const smaller = encodeModelFile(model(2, 'short'));
  writeModelFileAtomic(path, smaller);
  assert.is(readFileSync(path).length, smaller.length, 'no tail of the old file survives');
  assert.equal(readModelFile(path).tensors.get('w')!.toArray(), [2, -2, 0.25]);
  writeFileSync(join(dir, 'unrelated.txt'), 'x');
  writeModelFileAtomic(path, encodeModelFile(model(3)));
  assert.equal(readdirSync(dir).sort(), ['model.ladtl', 'unrelated.txt']);
});

test('a write into a missing directory throws, naming the path, and leaves no temporary file', () => {
  const path = join(dir, 'no', 'such', 'dir', 'model.ladtl');
  const err = caught(() => writeModelFileAtomic(path, encodeModelFile(model(1))));
  assert.is(err.reason, 'io');
  assert.ok(err.message.startsWith(`${path}: `), err.message);
  assert.ok(err.message.includes('ENOENT'), err.message);
  assert.ok(err.cause !== undefined, 'the original error is kept as cause');
  assert.equal(readdirSync(dir), []);
});

test('a failing rename (the target is a directory) removes the temporary file and keeps the target', () => {
  const path = join(dir, 'model.ladtl');
  mkdirSync(path);
  writeFileSync(join(path, 'inside'), 'kept');
  const err = caught(() => writeModelFileAtomic(path, encodeModelFile(model(1))));
  assert.is(err.reason, 'io');
  assert.ok(err.message.includes(path), err.message);
  assert.equal(readdirSync(dir), ['model.ladtl'], 'the temporary file was removed');
  assert.equal(readdirSync(path), ['inside']);
});

test('a write interrupted after the temporary file was written leaves the previous model intact and no temporary file', () => {
  const path = join(dir, 'model.ladtl');
  const first = encodeModelFile(model(1));
  writeModelFileAtomic(path, first);
  // Simulates a failure midway (a full disk, a signal): the bytes report their length once, so the
  // temporary file gets written, then the next look at them throws, before fsync and rename.
  const second = encodeModelFile(model(2));
  let looks = 0;
  class FailingBytes extends Uint8Array {
    override get length(): number {
      if (++looks > 1) throw new Error('simulated failure while writing');
      return super.length;
    }
  }
  const failing = new FailingBytes(second.length);
  failing.set(second);
  const err = caught(() => writeModelFileAtomic(path, failing));
  assert.is(err.reason, 'io');
  assert.ok(err.message.includes('simulated failure while writing'), err.message);
  assert.ok(looks > 1, 'the failure happened after the temporary file was opened');
  assert.equal(Array.from(readFileSync(path)), Array.from(first));
  assert.equal(readdirSync(dir), ['model.ladtl']);
});

test('reading a missing file, a directory, or a damaged file names the path', () => {
  const missing = join(dir, 'absent.ladtl');
  const err = caught(() => readModelFile(missing));
  assert.is(err.reason, 'io');
  assert.is(err.source, missing);
  assert.ok(err.message.includes(`${missing}: no such model file`), err.message);

  const isDir = caught(() => readModelFile(dir));
  assert.is(isDir.reason, 'io');
  assert.ok(isDir.message.includes('directory'), isDir.message);

  const damaged = join(dir, 'damaged.ladtl');
  const bytes = encodeModelFile(model(1));
  writeFileSync(damaged, bytes.subarray(0, bytes.length - 2));
  const cut = caught(() => readModelFile(damaged));
  assert.is(cut.reason, 'truncated');
  assert.ok(cut.message.startsWith(`${damaged}: truncated`), cut.message);
});

test.run();
