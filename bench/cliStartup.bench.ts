/**
 * Start-up of the compiled CLI (issue 14): `ladtl --help` and `ladtl --version` against bare `node -e 0`
 * on the same machine, in alternating rounds (one spawn per call, synchronously). Goal: `--help`
 * within 0.3 s of bare Node. Needs dist/ (`npm run build`); built here when it is missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fmt, formatTable, timeRounds, type SuiteOptions, type SuiteResult } from './harness.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../dist/lib/cli/bin.js', import.meta.url));

export async function run(options: SuiteOptions): Promise<SuiteResult> {
  if (!existsSync(bin)) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  const spawnNode = (args: string[]) => () => { execFileSync(process.execPath, args, { stdio: 'ignore' }); };
  const cases = [
    { name: 'node -e 0', fn: spawnNode(['-e', '0']) },
    { name: 'ladtl --help', fn: spawnNode([bin, '--help']) },
    { name: 'ladtl --version', fn: spawnNode([bin, '--version']) },
    { name: 'ladtl tag --help', fn: spawnNode([bin, 'tag', '--help']) },
  ];
  const results = timeRounds(cases, { rounds: options.quick ? 3 : 9, roundMs: options.quick ? 300 : 1000, minCalls: 2, warmUpMs: 200 });
  const base = results[0].medianMs;
  const rows = results.map((r) => [r.name, `${fmt(r.medianMs)} (${fmt(r.minMs)}–${fmt(r.maxMs)})`, r === results[0] ? '' : `+${fmt(r.medianMs - base)}`, `${(r.medianMs / base).toFixed(2)}×`]);
  console.log(formatTable(['command (ms, median (min–max) over rounds)', 'time', 'over bare node', 'ratio'], rows));
  return {
    suite: 'cliStartup',
    meta: { bin: 'dist/lib/cli/bin.js', goal: '--help within 300 ms of bare node' },
    groups: [{
      name: 'CLI start-up',
      params: { rounds: results[0].rounds },
      cases: results.map((r) => ({ name: r.name, msPerOp: r.medianMs, rmePercent: r.iqrPercent, samples: r.rounds })),
      ratios: Object.fromEntries(results.slice(1).map((r) => [`${r.name} over node (ms)`, r.medianMs - base])),
    }],
  };
}
