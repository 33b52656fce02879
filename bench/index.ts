/**
 * Entry point of `npm run bench`.
 *
 *   tsx bench/index.ts [--quick] [--json FILE] [SUITE...]
 *
 * --quick     smoke run: fewer sizes and shorter sampling (numbers are indicative only)
 * --json FILE also write the machine description and every suite's results to FILE
 * SUITE...    run only the named suites (default: all of them)
 *
 * To add a suite, write `bench/<name>.bench.ts` exporting `run(options): Promise<SuiteResult>`
 * (see harness.ts) and list it in SUITES below.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { SuiteModule, SuiteOptions, SuiteResult } from './harness.ts';

/**
 * Suites are imported lazily so that one suite's heavy dependencies (TF.js for matmul) are only
 * loaded, and only initialised, when that suite is selected.
 */
const SUITES: Record<string, () => Promise<SuiteModule>> = {
  baseline: () => import('./baseline.bench.ts'),
  matmul: () => import('./matmul.bench.ts'),
  tagger: () => import('./tagger.bench.ts'),
  peers: () => import('./peers.bench.ts'),
  decodeCorpus: () => import('./decodeCorpus.bench.ts'),
  mmd: () => import('./mmd.bench.ts'),
  lstm: () => import('./lstm.bench.ts'),
  transfer: () => import('./transfer.bench.ts'),
  gpu: () => import('./gpu.bench.ts'),
  cliStartup: () => import('./cliStartup.bench.ts'),
};

function describeMachine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    totalMemGiB: os.totalmem() / 2 ** 30,
    node: process.version,
    v8: process.versions.v8,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    // Other work on a shared machine skews the timings; recording the load makes that visible.
    loadAvg1m: os.loadavg()[0],
  };
}

function usage(): string {
  return `usage: tsx bench/index.ts [--quick] [--json FILE] [SUITE...]\nsuites: ${Object.keys(SUITES).join(', ')}`;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(usage());
    return;
  }
  const unknown = positionals.filter((name) => !(name in SUITES));
  if (unknown.length > 0) throw new Error(`unknown suite(s): ${unknown.join(', ')}\n${usage()}`);
  const selected = positionals.length > 0 ? positionals : Object.keys(SUITES);
  const options: SuiteOptions = { quick: values.quick };

  const machine = describeMachine();
  console.log(
    [
      `ladtl benchmarks${options.quick ? ' (--quick: indicative numbers only)' : ''}`,
      `cpu:    ${machine.cpuModel} × ${machine.cpuCount}`,
      `memory: ${machine.totalMemGiB.toFixed(1)} GiB`,
      `node:   ${machine.node} (V8 ${machine.v8}) on ${machine.os}`,
      `load:   ${machine.loadAvg1m.toFixed(2)} (1-min average at start)`,
    ].join('\n'),
  );

  const started = performance.now();
  const results: SuiteResult[] = [];
  for (const name of selected) {
    const suite = await SUITES[name]();
    results.push(await suite.run(options));
  }
  const wallSeconds = (performance.now() - started) / 1e3;
  const loadAvgEnd1m = os.loadavg()[0];
  console.log(`\ntotal: ${wallSeconds.toFixed(1)} s (1-min load average at end: ${loadAvgEnd1m.toFixed(2)})`);

  if (values.json) {
    const file = resolve(values.json);
    mkdirSync(dirname(file), { recursive: true });
    const report = { date: new Date().toISOString(), machine, options, wallSeconds, loadAvgEnd1m, suites: results };
    writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
    console.log(`results written to ${file}`);
  }
}

// Report failures here rather than leaving them unhandled: the wasm backend's Emscripten glue
// installs process-level handlers that rethrow, which buries the message under its minified source.
main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
