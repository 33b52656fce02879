/**
 * One writer per output (issue 15, point 6): the lock is exclusive and names its holder; a lock
 * left by a dead process of this host is taken over; one of another host is respected with the
 * file to remove named; and two `ladtl train --out` of the same file no longer overwrite each
 * other: the second is refused (exit 1) naming the first, which goes on and saves its own model.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { lockOutput, OutputLockedError } from '../../lib/io/outputLock.ts';
import { decodeTagger } from '../../lib/io/index.ts';
import { syntheticSentences, toConll } from '../helpers/syntheticCorpus.ts';

const dir = mkdtempSync(join(tmpdir(), 'ladtl-lock-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const bin = fileURLToPath(new URL('../../bin/ladtl.js', import.meta.url));

test('exclusive, names its holder, released once', () => {
  const out = join(dir, 'a.ladtl');
  const release = lockOutput(out, 'ladtl train --out a.ladtl');
  assert.ok(existsSync(`${out}.lock`));
  try {
    lockOutput(out, 'second');
    assert.unreachable('a second lock was granted');
  } catch (e) {
    assert.instance(e, OutputLockedError);
    assert.match((e as Error).message, `${out} is being written by another ladtl process (pid ${process.pid} on ${hostname()}, since `);
    assert.match((e as Error).message, ': ladtl train --out a.ladtl); wait for it to finish, or write elsewhere');
  }
  release();
  release();
  assert.not.ok(existsSync(`${out}.lock`));
  lockOutput(out, 'again')();
});

test('a lock of a dead process of this host is taken over; one of another host is respected', () => {
  const out = join(dir, 'b.ladtl');
  const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  const deadPid = Number(dead.stdout.trim());
  writeFileSync(`${out}.lock`, JSON.stringify({ pid: deadPid, host: hostname(), command: 'killed', since: 'earlier' }));
  const release = lockOutput(out, 'taker');
  assert.is(JSON.parse(readFileSync(`${out}.lock`, 'utf8')).pid, process.pid);
  release();
  writeFileSync(`${out}.lock`, JSON.stringify({ pid: deadPid, host: 'elsewhere', command: 'remote', since: 'earlier' }));
  assert.throws(() => lockOutput(out, 'x'), (e: Error) => e.message.includes(`on elsewhere`) && e.message.includes(`if that process is gone, remove ${out}.lock`));
});

test('two ladtl train --out the same file: the second is refused naming the first; after the first is killed, a third takes over', async () => {
  const train = join(dir, 'train.tsv'), dev = join(dir, 'dev.tsv'), out = join(dir, 'model.ladtl');
  writeFileSync(train, toConll(syntheticSentences(60, 1)));
  writeFileSync(dev, toConll(syntheticSentences(20, 2)));
  const args = ['train', '--train', train, '--dev', dev, '--out', out, '--hidden', '8', '--word-dim', '8', '--patience', '1000000', '--threads', '1'];
  const first = spawn(process.execPath, [bin, ...args, '--epochs', '1000000'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let firstOut = '';
  first.stdout.on('data', (c) => { firstOut += c; });
  const deadline = Date.now() + 60_000;
  while (!firstOut.includes('epoch 1:') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const second = spawnSync(process.execPath, [bin, ...args, '--epochs', '1', '--seed', '2'], { encoding: 'utf8' });
  assert.is(second.status, 1, second.stdout + second.stderr);
  assert.match(second.stderr, `error: ${out} is being written by another ladtl process (pid ${first.pid} on `);
  assert.is(decodeTagger(readFileSync(out)).training.seed, 1, 'the model file is the first run\'s');
  first.kill('SIGKILL');
  await new Promise((r) => first.on('close', r));
  assert.ok(existsSync(`${out}.lock`), 'a killed holder leaves its lock');
  const third = spawnSync(process.execPath, [bin, ...args, '--epochs', '1', '--seed', '3'], { encoding: 'utf8' });
  assert.is(third.status, 0, third.stderr);
  assert.is(decodeTagger(readFileSync(out)).training.seed, 3);
  assert.not.ok(existsSync(`${out}.lock`), 'released at the end');
});

test.run();
