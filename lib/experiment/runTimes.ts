/**
 * How long an experiment's runs took, from their records: the sum of the runs' own wall times
 * (`seconds`, which a resumed run accumulates across its sittings) and their spread. This is the
 * honest cost of a grid that ran over several sittings with restarts, where the clock time of any one
 * invocation says little. With `--jobs N` on N free cores the grid's wall time is about the sum / N.
 */
import type { RunRecord } from './runRecord.ts';

export interface RunTimes {
  runs: number;
  /** Sum of the runs' seconds. */
  total: number;
  median: number;
  min: number;
  max: number;
}

export function runTimes(records: readonly RunRecord[]): RunTimes | null {
  if (records.length === 0) return null;
  const s = records.map((r) => r.seconds).sort((a, b) => a - b);
  const mid = s.length >> 1;
  return {
    runs: s.length,
    total: s.reduce((a, b) => a + b, 0),
    median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2,
    min: s[0],
    max: s[s.length - 1],
  };
}

/**
 * A duration as the CLI's progress lines and the reports write it: `3725` → `1h02m`, `125` → `2m05s`,
 * `42.4` → `42s`; `?` for an unknown (non-finite or negative) one, such as an ETA before the first step.
 * The one formatter of durations in ladtl.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(r).padStart(2, '0')}s` : `${r}s`;
}

/** One sentence for a report: how many runs, their summed run time, median and range per run. */
export function formatRunTimes(t: RunTimes): string {
  return `${t.runs} run${t.runs === 1 ? '' : 's'}; run time ${formatDuration(t.total)} in all (the sum of the runs' own wall times; ` +
    `per run median ${formatDuration(t.median)}, ${formatDuration(t.min)} to ${formatDuration(t.max)}).`;
}
