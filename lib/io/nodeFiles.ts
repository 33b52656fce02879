/**
 * Node-only helpers to put model files on disk and read them back. Kept apart from
 * `modelFile.ts` (and out of `index.ts`) because they import `node:fs`, which a browser bundle
 * must never pull in.
 *
 * Both are synchronous: model files are a few megabytes, written once per checkpoint and read once
 * per run, and a synchronous write makes "the file is complete when the call returns" obvious.
 */
import { closeSync, fsyncSync, openSync, readFileSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { decodeModelFile, type ModelContents } from './modelFile.ts';
import { ModelFileError } from './modelFileError.ts';

/**
 * Writes `bytes` to `path` so that `path` always holds either its previous content or all of
 * `bytes`, never a mix or a prefix, even if the process dies or the machine loses power midway.
 *
 * How: the bytes go to a temporary file in the same directory (`.<name>.<pid>.<random>.tmp`;
 * the same directory because a rename is only atomic within one file system, the leading dot
 * keeps it out of plain `ls`, pid and random keep concurrent writers apart), which is fsynced so
 * its content is on disk before the rename can be, then renamed over `path`. The directory is
 * fsynced afterwards where the platform allows it, so the rename itself survives a power loss. On
 * any failure the temporary file is removed and the error rethrown.
 *
 * The new file gets default permissions (not those of the file it replaces), and a symbolic link
 * at `path` is replaced by a regular file rather than followed.
 *
 * @throws ModelFileError `io` naming `path`, with the original error as `cause`.
 */
export function writeModelFileAtomic(path: string, bytes: Uint8Array): void {
  removeStaleTemporaries(path);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | null = null;
  let created = false;
  try {
    // 'wx': fail rather than reuse a file that happens to have this name.
    fd = openSync(temp, 'wx');
    created = true;
    let written = 0;
    // writeSync may write less than asked (e.g. on some network file systems): loop until done.
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    // Test hook of the fault tests: die the way a kill during a save would, temporary file complete, not yet renamed.
    if (process.env.LADTL_TEST_KILL_BEFORE_RENAME === '1') process.kill(process.pid, 'SIGKILL');
    renameSync(temp, path);
    created = false;
  } catch (e) {
    if (fd !== null) {
      try { closeSync(fd); } catch { /* already failing; the original error matters */ }
    }
    if (created) {
      try { unlinkSync(temp); } catch { /* nothing more we can do */ }
    }
    throw new ModelFileError(path, 'io', `cannot write the model file: ${describeIoError(e)}`, { cause: e });
  }
  syncDirectory(dirname(path));
}

/**
 * Reads and decodes the model file at `path` (see `decodeModelFile`); every error names `path`.
 *
 * @throws ModelFileError `io` when the file cannot be read (no such file, a directory, no
 *   permission), or any of `decodeModelFile`'s refusals.
 */
export function readModelFile(path: string): ModelContents {
  return decodeModelFile(readModelBytes(path), path);
}

/** The raw bytes of a model file (for decoders of a particular kind, e.g. `decodeTagger`). */
export function readModelBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'no such model file'
      : code === 'EISDIR' ? 'this is a directory, not a model file'
      : `cannot read the model file: ${describeIoError(e)}`;
    throw new ModelFileError(path, 'io', problem, { cause: e });
  }
}

/**
 * Removes the temporary files that writers of `path` left behind when they were killed midway (a
 * synchronous write cannot be interrupted by a signal handler, so SIGKILL, or SIGTERM/SIGINT without a
 * handler, leaves its `.tmp`): those whose writer process no longer exists. A temporary file of a
 * live process is left alone, even if that pid was reused by an unrelated process.
 */
function removeStaleTemporaries(path: string): void {
  const name = basename(path);
  const prefix = `.${name}.`;
  let entries: string[];
  try {
    entries = readdirSync(dirname(path));
  } catch {
    return; // The write itself will report a missing or unreadable directory.
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !entry.endsWith('.tmp')) continue;
    const m = /^(\d+)\.[0-9a-f]+\.tmp$/.exec(entry.slice(prefix.length));
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || processAlive(pid)) continue;
    try { unlinkSync(join(dirname(path), entry)); } catch { /* removed meanwhile by another writer */ }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Makes a completed rename durable. Best effort: some platforms (Windows) and file systems cannot
 * open or fsync a directory, and the model file itself is already complete either way.
 */
function syncDirectory(directory: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(directory, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported here; see above.
  } finally {
    if (fd !== null) {
      try { closeSync(fd); } catch { /* ignore */ }
    }
  }
}

function describeIoError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string') return `${err.code} (${err.message})`;
  return e instanceof Error ? e.message : String(e);
}
