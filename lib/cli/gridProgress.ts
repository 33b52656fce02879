/**
 * Progress of an experiment grid that a person can follow, with one or many worker processes.
 *
 * Workers (or the single process itself) report {@link GridEvent}s: a run found done before, a
 * training step of a run, a finished run. {@link GridDisplay} keeps the picture: runs done / total,
 * an overall ETA, and each job's live line (run, phase, epoch, step, ETA of the phase).
 *   - On a terminal, the live lines are a block redrawn in place at the bottom (at most 5 times a
 *     second), every line cut to the terminal's width; log lines scroll above it.
 *   - Into a file or a pipe, output stays plain lines: the log lines, each job's live line at most
 *     once a minute, and the grid line after every finished run.
 * The overall ETA weighs the runs by their expected cost (method and pair, grid.ts), so that the
 * time of the finished runs predicts that of the others: elapsed × cost left / cost done.
 */
import { formatDuration } from '../experiment/runTimes.ts';
import type { RunRecord } from '../experiment/index.ts';
import type { RunProgress } from '../experiment/runOrReuse.ts';

/** What a worker reports about the runs of the grid; `run` is the run's record path (its identity). */
export type GridEvent =
  | { kind: 'done-before'; run: string }
  | ({ kind: 'progress'; run: string } & RunProgress)
  | { kind: 'finished'; run: string };

export interface GridDisplayOptions {
  /** Where log lines go (stdout). */
  out: NodeJS.WritableStream;
  /** Where the live block goes; redrawn in place only when it is a terminal (stderr). */
  live: NodeJS.WriteStream;
  jobs: number;
  /** Expected cost of every run of the grid, by run identity (grid.ts: METHOD_COST × pair weight). */
  costs: ReadonlyMap<string, number>;
  /** Seconds between a job's plain progress lines when `live` is not a terminal. */
  plainEverySeconds?: number;
  now?: () => number;
}

interface JobState { run: string; text: string; lastPlain: number }

export class GridDisplay {
  private readonly started: number;
  private readonly done = new Set<string>();
  private readonly doneBefore = new Set<string>();
  private readonly jobs: (JobState | null)[];
  private drawnLines = 0;
  private lastDraw = 0;
  private closed = false;
  private readonly now: () => number;
  private readonly tty: boolean;

  constructor(private readonly o: GridDisplayOptions) {
    this.now = o.now ?? Date.now;
    this.started = this.now();
    this.jobs = new Array<JobState | null>(o.jobs).fill(null);
    this.tty = o.live.isTTY === true;
  }

  /** A line that stays (a run's result, a worker's message); `job` prefixes it when there are several. */
  line(text: string, job: number | null = null, stream: NodeJS.WritableStream = this.o.out): void {
    this.clear();
    stream.write(`${job !== null && this.jobs.length > 1 ? `[job ${job + 1}] ` : ''}${text}\n`);
    this.draw(true);
  }

  event(job: number, e: GridEvent): void {
    if (e.kind === 'done-before') {
      this.doneBefore.add(e.run);
      this.done.add(e.run);
      return;
    }
    if (e.kind === 'finished') {
      this.done.add(e.run);
      if (job < this.jobs.length) this.jobs[job] = null;
      if (!this.tty) this.o.live.write(`${this.gridLine()}\n`);
      this.draw(true);
      return;
    }
    const eta = Number.isFinite(e.etaSeconds) ? `, ETA ${formatDuration(e.etaSeconds)}` : '';
    const text = `${e.label}: ${e.phase} epoch ${e.epoch}/${e.epochs}, step ${e.step}, loss ${e.loss.toFixed(3)}, ${e.tokensPerSecond.toFixed(0)} tok/s${eta}`;
    while (this.jobs.length <= job) this.jobs.push(null); // a queue's runs come and go: slots grow
    const state = this.jobs[job];
    if (state && state.run === e.run) state.text = text;
    else this.jobs[job] = { run: e.run, text, lastPlain: this.now() };
    if (this.tty) {
      this.draw(false);
    } else {
      const s = this.jobs[job]!;
      if (this.now() - s.lastPlain >= (this.o.plainEverySeconds ?? 60) * 1000) {
        s.lastPlain = this.now();
        this.o.live.write(`${this.jobs.length > 1 ? `[job ${job + 1}] ` : ''}${text}\n`);
      }
    }
  }

  /** "grid: 12/90 runs done (3 before), 2 running, ETA 3h10m" */
  gridLine(): string {
    const total = this.o.costs.size;
    const running = this.jobs.filter((j) => j !== null).length;
    const before = this.doneBefore.size ? ` (${this.doneBefore.size} before)` : '';
    return `grid: ${this.done.size}/${total} runs done${before}, ${running} running, ETA ${formatDuration(this.etaSeconds())}`;
  }

  /** Elapsed × cost left / cost done this session; NaN before the first run ends. */
  etaSeconds(): number {
    let doneCost = 0, leftCost = 0;
    for (const [run, cost] of this.o.costs) {
      if (this.doneBefore.has(run)) continue;
      if (this.done.has(run)) doneCost += cost;
      else leftCost += cost;
    }
    if (leftCost === 0) return 0;
    if (doneCost === 0) return NaN;
    return ((this.now() - this.started) / 1000) * leftCost / doneCost;
  }

  /** Removes the live block (before the process prints its final output). */
  finish(): void {
    this.clear();
    this.closed = true;
  }

  private clear(): void {
    if (!this.tty || this.drawnLines === 0) return;
    this.o.live.write(`\x1b[${this.drawnLines}F\x1b[J`);
    this.drawnLines = 0;
  }

  private draw(force: boolean): void {
    if (!this.tty || this.closed) return;
    const t = this.now();
    if (!force && t - this.lastDraw < 200) return;
    this.lastDraw = t;
    this.clear();
    const width = Math.max(20, (this.o.live.columns ?? 120) - 1);
    const lines = [this.gridLine(), ...this.jobs.map((j, k) => `${this.jobs.length > 1 ? `job ${k + 1}: ` : ''}${j ? j.text : 'idle'}`)];
    this.o.live.write(lines.map((l) => cut(l, width)).join('\n') + '\n');
    this.drawnLines = lines.length;
  }
}

/** `text` cut to `width` code points (an ellipsis marks the cut). */
export function cut(text: string, width: number): string {
  const chars = Array.from(text);
  return chars.length <= width ? text : chars.slice(0, width - 1).join('') + '…';
}

/** The line that reports a finished run. */
export function resultLine(tag: string, r: RunRecord): string {
  return `${tag}: test F1 ${r.testF1.toFixed(2)} (P ${r.testPrecision.toFixed(2)}, R ${r.testRecall.toFixed(2)}), dev F1 ${r.devF1.toFixed(2)} at epoch ${r.bestEpoch}, ${formatDuration(r.seconds)}`;
}
