/**
 * Node-only: one writer per output. Two `ladtl train --out same.ladtl` (or two `ladtl experiment
 * --out same/`) used to overwrite each other silently: the second reported its best model saved
 * while the file held the other run's (issue 15, point 6). Now a writer takes the output's lock for
 * as long as it runs, and a second one is refused with the holder named.
 *
 * The lock is a file `<path>.lock` created exclusively (O_EXCL: of two processes exactly one
 * succeeds) holding the holder's pid, host, command and start time. It is removed on release and
 * when the process exits normally. A holder ended by a signal (Ctrl-C, SIGKILL, power loss) leaves
 * it behind: a lock of this host whose pid is no longer alive is stale and taken over by the next
 * writer. (No signal handler removes it: the training loop is synchronous, and a JavaScript signal
 * handler would hold Ctrl-C back until the loop yields.) A lock of another host (a shared disk)
 * cannot be checked and is respected; the message says which file to remove.
 *
 * Why not proper-lockfile: its staleness is a modification time that the holder refreshes on a
 * timer, and ladtl's training loop runs synchronously for minutes, so the timer would not fire and
 * a live trainer's lock would be taken over as stale. A pid check needs no timer.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  since: string;
}

/** The output is being written by another process; `holder` is what that process wrote of itself, if readable. */
export class OutputLockedError extends Error {
  constructor(readonly path: string, readonly holder: LockHolder | null) {
    const who = holder ? ` (pid ${holder.pid} on ${holder.host}, since ${holder.since}: ${holder.command})` : '';
    const hint = holder && holder.host !== hostname() ? `; if that process is gone, remove ${path}.lock` : '; wait for it to finish, or write elsewhere';
    super(`${path} is being written by another ladtl process${who}${hint}`);
    this.name = 'OutputLockedError';
  }
}

const held = new Set<string>();
let cleanupInstalled = false;

function removeHeldLocks(): void {
  for (const file of held) {
    try { unlinkSync(file); } catch { /* already gone */ }
  }
  held.clear();
}

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', removeHeldLocks);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM'; // alive, owned by someone else
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
  } catch {
    return null; // being written or removed this instant, or damaged
  }
}

/**
 * Takes the lock of output `path` (a file or a folder; it need not exist yet, its parent must) for
 * this process and returns the function that releases it. Taking a lock this process already holds
 * is an error too: one writer per output.
 * @throws OutputLockedError when another live process (or this one) holds it.
 */
export function lockOutput(path: string, command: string): () => void {
  const file = `${path}.lock`;
  const me: LockHolder = { pid: process.pid, host: hostname(), command, since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw e;
      const holder = readHolder(file);
      const stale = holder !== null && holder.host === me.host && holder.pid !== process.pid && !isAlive(holder.pid);
      if (stale && attempt < 3) {
        // Re-read just before removing: if another process took the stale lock over meanwhile, the
        // file now names that live process and is left alone (the window left is microseconds).
        const again = readHolder(file);
        if (again && again.pid === holder.pid && again.since === holder.since) {
          try { unlinkSync(file); } catch { /* another process removed it first */ }
        }
        continue;
      }
      throw new OutputLockedError(path, holder);
    }
    try {
      writeSync(fd, JSON.stringify(me) + '\n');
    } finally {
      closeSync(fd);
    }
    installCleanup();
    held.add(file);
    return () => {
      if (!held.delete(file)) return;
      try { unlinkSync(file); } catch { /* already gone */ }
    };
  }
}
