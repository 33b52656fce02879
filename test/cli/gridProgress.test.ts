/**
 * The grid display (issue 14, deliverable 6): on a terminal, a block of live lines (grid + one per
 * job) redrawn in place and cut to the terminal width, with log lines scrolling above it; into a
 * file, plain lines only (a job's live line at most once a minute, the grid line after every run);
 * the overall ETA weighs runs by their expected cost.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GridDisplay, cut, type GridEvent } from '../../lib/cli/gridProgress.ts';

class FakeStream {
  text = '';
  constructor(readonly isTTY: boolean, readonly columns = 60) {}
  write(chunk: string): boolean { this.text += chunk; return true; }
}

/** What a terminal shows after the escape sequences this display uses (cursor up N lines + clear below). */
function screen(raw: string): string[] {
  const lines: string[] = [''];
  for (const part of raw.split(/(\x1b\[\d+F\x1b\[J)/)) {
    const up = /^\x1b\[(\d+)F\x1b\[J$/.exec(part);
    if (up) { lines.splice(lines.length - 1 - Number(up[1]), Infinity, ''); continue; }
    const pieces = part.split('\n');
    lines[lines.length - 1] += pieces[0];
    for (const p of pieces.slice(1)) lines.push(p);
  }
  return lines.slice(0, -1);
}

const progress = (run: string, step: number): GridEvent => ({ kind: 'progress', run, label: `pair @0.1 la-dtl seed 1 (${run})`, phase: 'train', epoch: 2, epochs: 10, step, loss: 1.25, tokensPerSecond: 5000, etaSeconds: 90 });

test('terminal: live block at the bottom, log lines above, every line within the width', () => {
  let now = 0;
  const out = new FakeStream(true), live = new FakeStream(true, 50);
  const costs = new Map([['a', 1], ['b', 1], ['c', 2]]);
  const d = new GridDisplay({ out: live as unknown as NodeJS.WritableStream, live: live as unknown as NodeJS.WriteStream, jobs: 2, costs, now: () => now });
  d.event(0, progress('a', 5));
  now += 1000;
  d.event(1, progress('b', 7));
  now += 1000;
  d.line('first result', 0);
  let shown = screen(live.text);
  assert.is(shown.length, 4, shown.join('\n'));
  assert.is(shown[0], '[job 1] first result');
  assert.match(shown[1], /^grid: 0\/3 runs done, 2 running, ETA \?$/);
  assert.match(shown[2], /^job 1: pair @0\.1 la-dtl/);
  assert.match(shown[3], /^job 2: pair @0\.1 la-dtl/);
  for (const l of shown) assert.ok(Array.from(l).length <= 49, `"${l}" is wider than the terminal`);
  now += 2000;
  d.event(0, { kind: 'finished', run: 'a' });
  shown = screen(live.text);
  assert.is(shown.length, 4);
  // 4 s for cost 1, cost 3 left: 12 s.
  assert.is(shown[1], 'grid: 1/3 runs done, 1 running, ETA 12s');
  assert.is(shown[2], 'job 1: idle');
  d.finish();
  assert.equal(screen(live.text), ['[job 1] first result']);
  void out;
});

test('file: plain lines, a job\'s live line at most once a minute, the grid line after each run', () => {
  let now = 0;
  const out = new FakeStream(false), live = new FakeStream(false);
  const d = new GridDisplay({ out: out as unknown as NodeJS.WritableStream, live: live as unknown as NodeJS.WriteStream, jobs: 1, costs: new Map([['a', 1], ['b', 1], ['old', 5]]), now: () => now });
  d.event(0, { kind: 'done-before', run: 'old' });
  for (let s = 1; s <= 100; s++) { now += 1000; d.event(0, progress('a', s)); }
  d.line('a: test F1 50.00');
  d.event(0, { kind: 'finished', run: 'a' });
  assert.not.match(live.text, /\x1b/, 'no escape sequences in a file');
  const lines = live.text.trim().split('\n');
  assert.is(lines.filter((l) => l.includes('step')).length, 1, 'one progress line in 100 s (the first is at 60 s)');
  assert.match(lines.at(-1)!, /^grid: 2\/3 runs done \(1 before\), 0 running, ETA 1m40s$/);
  assert.is(out.text, 'a: test F1 50.00\n');
});

test('cut keeps code points whole and marks the cut', () => {
  assert.is(cut('患者头痛三天', 4), '患者头…');
  assert.is(cut('short', 10), 'short');
});

test.run();
