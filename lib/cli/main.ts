/**
 * `ladtl` command dispatch. The CLI is the only layer that touches `process`, the file system and
 * the terminal; every command is a function from arguments to an exit code.
 */
import { readFileSync } from 'node:fs';
import { listBackends, setBackend } from '../backend/index.ts';
import { trainCommand } from './commands/train.ts';
import { evalCommand } from './commands/evaluate.ts';
import { tagCommand } from './commands/tag.ts';
import { experimentCommand } from './commands/experiment.ts';
import { reportCommand } from './commands/report.ts';
import { UsageError } from './args.ts';
import type { Command } from './command.ts';


const commands: Record<string, Command> = {
  train: trainCommand,
  eval: evalCommand,
  tag: tagCommand,
  experiment: experimentCommand,
  report: reportCommand,
  backends: {
    summary: 'list the compute backends and what each one runs on',
    run: () => {
      for (const name of listBackends()) console.log(`${name}\t${setBackend(name).description}`);
      setBackend('cpu');
      return 0;
    },
  },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`);
  return ['usage: ladtl <command> [options]', '', 'commands:', ...lines, '', 'ladtl --version | ladtl --help'].join('\n');
}

/** Runs the CLI on `argv` (without node and script) and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-v') {
    console.log(version());
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`ladtl: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    // Bad input is reported as one clear line (file:line: problem), not a stack trace.
    console.error(e instanceof Error ? `${e instanceof UsageError ? '' : 'error: '}${e.message}` : String(e));
    if (process.env.LADTL_DEBUG && e instanceof Error) console.error(e.stack);
    return e instanceof UsageError ? 2 : 1;
  }
}
