/**
 * `ladtl queue status|clean --queue URL`: what a grid queue holds (jobs by state, the running runs'
 * progress, the failed runs' reasons), and clearing it: `clean` removes finished and failed jobs
 * (their records are already stored by the submitter) and the jobs still waiting; `clean --all`
 * also removes running jobs (their workers' results are then dropped).
 */
import { loadBullmq } from '../../experiment/queue/bullmqLoader.ts';
import { redisUrlForDisplay } from '../../experiment/queue/redisUrl.ts';
import { queueConnection } from '../queueOption.ts';
import { RUN_QUEUE } from '../../experiment/queue/runJob.ts';
import type { RunProgress } from '../../experiment/runOrReuse.ts';
import { UsageError, type OptionSpec } from '../args.ts';
import { defineCommand, type Command } from '../command.ts';
import { formatDuration } from '../../experiment/runTimes.ts';

const SPECS: Record<string, OptionSpec> = {
  queue: { type: 'string', required: true, value: 'URL', help: 'the Redis queue (redis://HOST:PORT[/DB], rediss:// for TLS)' },
  all: { type: 'boolean', help: 'clean: also remove running jobs (everything under the queue\'s keys)' },
};

const ACTIONS = ['status', 'clean'] as const;

function actionCommand(action: (typeof ACTIONS)[number]): Command {
  return defineCommand('queue', SPECS, async (o) => {
    const url = o.string('queue');
    const connection = queueConnection('queue', url);
    const { Queue } = await loadBullmq();
    const queue = new Queue(RUN_QUEUE, { connection });
    try {
      if (action === 'status') {
        const counts = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
        console.log(`queue ${redisUrlForDisplay(url)} (${RUN_QUEUE}): ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
        for (const job of await queue.getJobs(['active'], 0, 100)) {
          const p = job.progress as Partial<RunProgress>;
          const eta = typeof p?.etaSeconds === 'number' && Number.isFinite(p.etaSeconds) ? `, ETA ${formatDuration(p.etaSeconds)}` : '';
          console.log(`  running ${job.name}${typeof p?.epoch === 'number' ? `: ${p.phase} epoch ${p.epoch}/${p.epochs}, step ${p.step}${eta}` : ''}`);
        }
        for (const job of await queue.getJobs(['failed'], 0, 100)) console.log(`  failed  ${job.name}: ${job.failedReason}`);
      } else if (o.boolean('all')) {
        await queue.obliterate({ force: true });
        console.log(`queue ${redisUrlForDisplay(url)}: every job removed`);
      } else {
        await queue.drain();
        const removed = (await queue.clean(0, 0, 'completed')).length + (await queue.clean(0, 0, 'failed')).length;
        console.log(`queue ${redisUrlForDisplay(url)}: waiting jobs and ${removed} finished or failed removed; running jobs kept (--all removes them too)`);
      }
    } finally {
      await queue.close();
    }
    return 0;
  }, { backendOption: false });
}

export const queueCommand: Command = {
  summary: actionCommand('status').summary,
  run(argv) {
    const [action, ...rest] = argv;
    if (action === '--help' || action === '-h' || action === undefined) {
      console.log(`usage: ladtl queue status|clean --queue URL [--all]\n\n${queueCommand.summary}\n`);
      return actionCommand('status').run(['--help']);
    }
    if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`ladtl queue: unknown action "${action}"; use status or clean`);
    return actionCommand(action as (typeof ACTIONS)[number]).run(rest);
  },
};
