/**
 * The `ladtl` commands: name, one-line summary, and a loader. Each command's module (with
 * everything it imports: the engine, the trainer, the corpus readers) is imported only when that
 * command runs, so `ladtl --help` and `ladtl --version` start as fast as Node itself.
 */
import type { Command } from './command.ts';

export interface CommandEntry {
  /** One line for `ladtl --help` and the head of the command's own `--help`. */
  summary: string;
  load(): Promise<Command>;
}

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  train: {
    summary: 'train a Bi-LSTM-CRF tagger and save the best epoch on dev',
    load: async () => (await import('./commands/train.ts')).trainCommand,
  },
  eval: {
    summary: 'score a model on a labelled corpus (conlleval report)',
    load: async () => (await import('./commands/evaluate.ts')).evalCommand,
  },
  tag: {
    summary: 'tag sentences with a model (CoNLL or JSON entities out)',
    load: async () => (await import('./commands/tag.ts')).tagCommand,
  },
  score: {
    summary: "score a prediction file (token gold predicted) as conlleval.pl does",
    load: async () => (await import('./commands/score.ts')).scoreCommand,
  },
  experiment: {
    summary: 'run the compared methods on transfer pairs and print the result table',
    load: async () => (await import('./commands/experiment.ts')).experimentCommand,
  },
  report: {
    summary: 'print the result table of stored experiment runs and write its report (tables, summary, figures, HTML page)',
    load: async () => (await import('./commands/report.ts')).reportCommand,
  },
  worker: {
    summary: 'train the runs of grids submitted with experiment --queue (one of any number of machines)',
    load: async () => (await import('./commands/worker.ts')).workerCommand,
  },
  queue: {
    summary: 'status or clean of a grid queue (experiment --queue, worker)',
    load: async () => (await import('./commands/queue.ts')).queueCommand,
  },
  backends: {
    summary: 'list the compute backends and what each one runs on',
    load: async () => (await import('./commands/backends.ts')).backendsCommand,
  },
};

/** The summary of command `name` (defined above, so that it has one home). */
export function commandSummary(name: string): string {
  const entry = COMMANDS[name];
  if (!entry) throw new Error(`no command "${name}" in COMMANDS`);
  return entry.summary;
}
