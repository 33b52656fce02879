/**
 * `ladtl` command dispatch. The CLI is the only layer that touches `process`, the file system and
 * the terminal; every command is a function from arguments to an exit code.
 */
import { readFileSync } from 'node:fs';
import { COMMANDS } from './commandList.ts';
import { isUsageError } from './args.ts';

/** The package's version, from the package.json above this file (lib/cli/ in a checkout, dist/lib/cli/ when built). */
function version(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'ladtl') return pkg.version;
    } catch {
      // not at this level
    }
  }
  return 'unknown';
}

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`);
  return ['usage: ladtl <command> [options]', '', 'commands:', ...lines, '', 'ladtl <command> --help | ladtl --version | ladtl --help'].join('\n');
}

/** Runs the CLI on `argv` (without node and script) and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    console.error(usage()); // a usage error: to stderr, like every other
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    console.log(version());
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    console.error(`ladtl: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await (await entry.load()).run(rest);
  } catch (e) {
    // Bad input is reported as one clear line (file:line: problem), not a stack trace.
    console.error(e instanceof Error ? `${isUsageError(e) ? '' : 'error: '}${e.message}` : String(e));
    if (process.env.LADTL_DEBUG && e instanceof Error) console.error(e.stack);
    return isUsageError(e) ? 2 : 1;
  }
}
