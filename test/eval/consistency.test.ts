import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type ChunkRules, type ChunkSpan, chunkSpans, evaluateSentences } from '../../lib/eval/index.ts';

/*
 * Two independent routes to the chunk counts must agree on typed tags: conlleval's streaming
 * `inCorrect` state machine inside evaluateSentences, and exact (type, start, end) matching of the
 * spans that chunkSpans returns. Random gold/guess sentences over B/I/E/S/O with two types.
 */

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const key = (s: ChunkSpan) => `${s.type}:${s.start}:${s.end}`;

function check(alphabet: string[], rules: ChunkRules, seed: number): void {
  const rand = lcg(seed);
  for (let trial = 0; trial < 300; trial++) {
    const nSent = 1 + Math.floor(rand() * 4);
    const pairs = Array.from({ length: nSent }, () => {
      const n = Math.floor(rand() * 9);
      const pick = () => alphabet[Math.floor(rand() * alphabet.length)];
      return { gold: Array.from({ length: n }, pick), guess: Array.from({ length: n }, pick) };
    });
    let gold = 0, guessed = 0, correct = 0, tokens = 0, equalTags = 0;
    const perType = new Map<string, [number, number, number]>();
    const bump = (t: string, i: number) => {
      const c = perType.get(t) ?? [0, 0, 0];
      c[i]++;
      perType.set(t, c);
    };
    for (const p of pairs) {
      const g = chunkSpans(p.gold, { rules });
      const h = chunkSpans(p.guess, { rules });
      const goldKeys = new Set(g.map(key));
      gold += g.length;
      guessed += h.length;
      g.forEach((s) => bump(s.type, 0));
      h.forEach((s) => bump(s.type, 1));
      for (const s of h) {
        if (goldKeys.has(key(s))) {
          correct++;
          bump(s.type, 2);
        }
      }
      tokens += p.gold.length;
      equalTags += p.gold.filter((t, i) => t === p.guess[i]).length;
    }
    const r = evaluateSentences(pairs, { rules });
    const ctx = `${rules} trial ${trial}: ${JSON.stringify(pairs)}`;
    assert.equal([r.goldChunks, r.guessedChunks, r.correctChunks, r.tokens, r.correctTokens], [gold, guessed, correct, tokens, equalTags], ctx);
    const byType = Object.fromEntries(Object.entries(r.byType).map(([t, c]) => [t, [c.gold, c.guessed, c.correct]]));
    assert.equal(byType, Object.fromEntries(perType), ctx);
  }
}

test('BIO / IOB1 tags: state machine == span matching', () => {
  check(['O', 'O', 'B-A', 'I-A', 'B-B', 'I-B'], 'conlleval', 1);
});

test('B/I/E/S/O tags, conlleval table: state machine == span matching', () => {
  check(['O', 'B-A', 'I-A', 'E-A', 'S-A', 'B-B', 'I-B', 'E-B', 'S-B'], 'conlleval', 2);
});

test('B/I/E/S/O tags, iobes table: state machine == span matching', () => {
  check(['O', 'B-A', 'I-A', 'E-A', 'S-A', 'B-B', 'I-B', 'E-B', 'S-B'], 'iobes', 3);
});

test('a hand-checked sample of the generator output (so the property tests see real chunks)', () => {
  // Guard against a degenerate generator: over the BIO run there must be chunks, correct ones and
  // wrong ones.
  const rand = lcg(1);
  const alphabet = ['O', 'O', 'B-A', 'I-A', 'B-B', 'I-B'];
  const pairs = Array.from({ length: 200 }, () => {
    const pick = () => alphabet[Math.floor(rand() * alphabet.length)];
    return { gold: Array.from({ length: 6 }, pick), guess: Array.from({ length: 6 }, pick) };
  });
  const r = evaluateSentences(pairs);
  assert.ok(r.correctChunks > 20 && r.correctChunks < r.guessedChunks && r.goldChunks > 100, JSON.stringify(r));
});

test.run();
