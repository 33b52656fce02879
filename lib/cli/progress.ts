/**
 * A one-line progress display for long work: on a terminal it redraws in place (epoch, step, bar,
 * loss, tokens/s, ETA); when output is piped it prints a plain line at most every few seconds, so
 * logs stay readable.
 */
import { formatDuration } from '../experiment/runTimes.ts';

export interface ProgressState {
  label: string;
  done: number;
  total: number;
  fields: Record<string, string>;
  etaSeconds?: number;
}

export class ProgressLine {
  private lastPlain = 0;
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr, private readonly plainEveryMs = 5000) {}

  update(p: ProgressState): void {
    const width = 24;
    const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
    const fill = Math.round(frac * width);
    const bar = `[${'#'.repeat(fill)}${'.'.repeat(width - fill)}]`;
    const fields = Object.entries(p.fields).map(([k, v]) => `${k} ${v}`).join('  ');
    const eta = p.etaSeconds === undefined ? '' : `  ETA ${formatDuration(p.etaSeconds)}`;
    const text = `${p.label} ${bar} ${p.done}/${p.total}  ${fields}${eta}`;
    if (this.stream.isTTY) {
      const cols = this.stream.columns ?? 120;
      this.stream.write(`\r${text.slice(0, cols - 1).padEnd(Math.min(cols - 1, text.length))}\x1b[K`);
      this.drawn = true;
    } else {
      const now = Date.now();
      if (now - this.lastPlain >= this.plainEveryMs || p.done === p.total) {
        this.stream.write(`${text}\n`);
        this.lastPlain = now;
      }
    }
  }

  /** Ends the redrawn line so the next output starts on a fresh one. */
  finish(): void {
    if (this.drawn && this.stream.isTTY) this.stream.write('\n');
    this.drawn = false;
  }
}
