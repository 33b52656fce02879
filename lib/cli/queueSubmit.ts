/**
 * `ladtl experiment --queue URL`: the grid's pending runs become BullMQ jobs (id: the run's
 * configuration hash, so a grid submitted twice adds each run once), `ladtl worker` processes on any
 * machines train them, and this side follows the queue: each running job's progress (published by
 * its worker), runs done / total with the grid's ETA, and every finished run's record, which it
 * stores under `--out` exactly as a local run stores it. A failed run is reported with its reason;
 * submitting the grid again retries it.
 */
import type { GridRun, GridColumn, RunRecord } from '../experiment/index.ts';
import { loadBullmq } from '../experiment/queue/bullmqLoader.ts';
import { parseRedisUrl, redisUrlForDisplay } from '../experiment/queue/redisUrl.ts';
import { RUN_JOB_FORMAT, RUN_QUEUE, runJobId, type RunJobData } from '../experiment/queue/runJob.ts';
import { pairDataHash } from '../experiment/gridColumn.ts';
import { recordProblem, writeJsonAtomic } from '../experiment/runStore.ts';
import { runLabel, type RunProgress } from '../experiment/runOrReuse.ts';
import { resultLine, type GridDisplay } from './gridProgress.ts';

export interface QueuedRun {
  run: GridRun;
  column: GridColumn;
}

/** Attempts of a run before it counts as failed (a worker killed mid-run does not use one up: BullMQ sees it stalled). */
const ATTEMPTS = 2;
/** How a run's job is added (kept once done: its record is the result the submitter collects). */
const JOB_OPTIONS = { attempts: ATTEMPTS, removeOnComplete: false, removeOnFail: false } as const;
/** How often the queue is polled. */
const POLL_MS = 1000;

/** Submits `items` and follows them to the end: their records (stored under their `run.file`) and the failures. */
export async function submitAndFollow(url: string, items: readonly QueuedRun[], options: readonly string[], display: GridDisplay): Promise<{ records: RunRecord[]; failures: string[] }> {
  const { Queue } = await loadBullmq();
  const queue = new Queue(RUN_QUEUE, { connection: parseRedisUrl(url) });
  queue.on('error', () => {}); // connection errors surface on the awaited calls below
  const records: RunRecord[] = [], failures: string[] = [];
  try {
    const pending = new Map<string, QueuedRun & { data: RunJobData }>();
    for (const item of items) {
      const { run, column } = item;
      const data: RunJobData = {
        format: RUN_JOB_FORMAT, pair: run.pair, fraction: run.fraction, method: run.method.name, seed: run.seed,
        options: [...options], configHash: column.configHash, dataHash: pairDataHash(column.pair, column.fraction),
      };
      const id = runJobId(data);
      const existing = await queue.getJob(id);
      if (existing && (await existing.getState()) === 'failed') {
        await existing.retry('failed', { resetAttemptsMade: true });
        display.line(`${runLabel(run)}: failed before (${existing.failedReason}); retried`);
      } else if (!existing) {
        await queue.add(runLabel(run), data, { ...JOB_OPTIONS, jobId: id });
      }
      pending.set(id, { ...item, data });
    }
    display.line(`queue ${redisUrlForDisplay(url)}: ${pending.size} run${pending.size === 1 ? '' : 's'} submitted; start workers with: ladtl worker --queue URL --data DIR`);
    const slots: string[] = []; // display slot → job id of a running run
    while (pending.size > 0) {
      for (const [id, item] of pending) {
        // The state first, then the job: a job read before it completes has no return value yet.
        const state = await queue.getJobState(id);
        const job = state === 'unknown' ? undefined : await queue.getJob(id);
        if (!job) {
          // Removed from the queue (`ladtl queue clean --all`): submit it again.
          await queue.add(runLabel(item.run), item.data, { ...JOB_OPTIONS, jobId: id });
          continue;
        }
        let slot = slots.indexOf(id);
        if (state === 'completed') {
          const record = job.returnvalue as RunRecord;
          const problem = recordProblem(record);
          if (problem !== null || record.configHash !== item.column.configHash) {
            failures.push(`${runLabel(item.run)}: the worker returned an unusable record (${problem ?? `configuration ${record.configHash}`})`);
          } else {
            writeJsonAtomic(item.run.file, record);
            records.push(record);
            display.line(resultLine(runLabel(item.run), record));
          }
          pending.delete(id);
          display.event(Math.max(slot, 0), { kind: 'finished', run: item.run.file });
          if (slot >= 0) slots[slot] = '';
        } else if (state === 'failed') {
          // Final: BullMQ puts a job with attempts left back in waiting or delayed (a job that stalled
          // too often fails at once, whatever its attempts).
          failures.push(`${runLabel(item.run)}: ${job.failedReason}`);
          display.line(`${runLabel(item.run)}: failed: ${job.failedReason}`);
          pending.delete(id);
          if (slot >= 0) slots[slot] = '';
        } else if (state === 'active' && isProgress(job.progress)) {
          if (slot < 0) {
            slot = slots.indexOf('');
            if (slot < 0) slot = slots.length;
            slots[slot] = id;
          }
          display.event(slot, { kind: 'progress', run: item.run.file, ...job.progress });
        }
      }
      if (pending.size > 0) await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    await queue.close();
  }
  return { records, failures };
}

function isProgress(p: unknown): p is RunProgress {
  return typeof p === 'object' && p !== null && typeof (p as RunProgress).label === 'string' && typeof (p as RunProgress).epoch === 'number';
}
