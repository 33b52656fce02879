import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evaluateSentences, formatConllevalReport } from '../../lib/eval/index.ts';

const report = (pairs: { gold: string[]; guess: string[] }[], rules?: 'conlleval' | 'iobes') =>
  formatConllevalReport(evaluateSentences(pairs, rules ? { rules } : {}));

test('empty input: zero counts, only the "processed" line', () => {
  const r = evaluateSentences([]);
  assert.equal(
    [r.tokens, r.correctTokens, r.goldChunks, r.guessedChunks, r.correctChunks, r.accuracy, r.precision, r.recall, r.f1],
    [0, 0, 0, 0, 0, 0, 0, 0, 0],
  );
  assert.equal(r.byType, {});
  assert.is(formatConllevalReport(r), 'processed 0 tokens with 0 phrases; found: 0 phrases; correct: 0.\n');
  // Empty sentences add nothing either.
  assert.is(report([{ gold: [], guess: [] }]), 'processed 0 tokens with 0 phrases; found: 0 phrases; correct: 0.\n');
});

test('no guessed chunks: precision, recall and FB1 are 0; per-type guessed count 0', () => {
  // gold PER(0..1), LOC(3); guess all O. Equal tags: only token 2 (O/O) → 1/4 = 25%.
  const r = evaluateSentences([{ gold: ['B-PER', 'I-PER', 'O', 'B-LOC'], guess: ['O', 'O', 'O', 'O'] }]);
  assert.equal([r.goldChunks, r.guessedChunks, r.correctChunks, r.precision, r.recall, r.f1], [2, 0, 0, 0, 0, 0]);
  assert.is(
    formatConllevalReport(r),
    [
      'processed 4 tokens with 2 phrases; found: 0 phrases; correct: 0.',
      'accuracy:  25.00%; precision:   0.00%; recall:   0.00%; FB1:   0.00',
      '              LOC: precision:   0.00%; recall:   0.00%; FB1:   0.00  0',
      '              PER: precision:   0.00%; recall:   0.00%; FB1:   0.00  0',
      '',
    ].join('\n'),
  );
});

test('no gold chunks: recall 0, precision 0 (nothing correct)', () => {
  const r = evaluateSentences([{ gold: ['O', 'O'], guess: ['B-X', 'O'] }]);
  assert.equal([r.goldChunks, r.guessedChunks, r.correctChunks, r.precision, r.recall, r.f1, r.accuracy], [0, 1, 0, 0, 0, 0, 50]);
  assert.equal(r.byType, { X: { gold: 0, guessed: 1, correct: 0, precision: 0, recall: 0, f1: 0 } });
});

test('accuracy counts O tokens, and compares full tags', () => {
  // 3 O/O tokens equal, B-X/O not: 3/4 = 75% although no chunk is found.
  const a = evaluateSentences([{ gold: ['O', 'O', 'O', 'B-X'], guess: ['O', 'O', 'O', 'O'] }]);
  assert.equal([a.tokens, a.correctTokens, a.accuracy, a.correctChunks], [4, 3, 75, 0]);
  // IOB1 I-X vs BIO B-X: the same chunk (correct), but the tags differ: accuracy 50%.
  const b = evaluateSentences([{ gold: ['I-X', 'O'], guess: ['B-X', 'O'] }]);
  assert.equal([b.correctChunks, b.correctTokens, b.accuracy], [1, 1, 50]);
});

test('per-type counts: gold, guessed, correct and scores per type', () => {
  // gold: A(0) A(1..2) B(4)        guess: A(0) A(1) B(2) B(4)
  // correct: A(0), B(4). A: gold 2, guessed 2, correct 1 → 50/50/50. B: gold 1, guessed 2, correct 1.
  const r = evaluateSentences([
    { gold: ['B-A', 'B-A', 'I-A', 'O', 'B-B'], guess: ['B-A', 'B-A', 'B-B', 'O', 'B-B'] },
  ]);
  assert.equal(r.byType.A, { gold: 2, guessed: 2, correct: 1, precision: 50, recall: 50, f1: 50 });
  assert.is(r.byType.B.gold, 1);
  assert.is(r.byType.B.guessed, 2);
  assert.is(r.byType.B.correct, 1);
  assert.equal([r.byType.B.precision, r.byType.B.recall], [50, 100]);
  assert.ok(Math.abs(r.byType.B.f1 - 200 / 3) < 1e-12);
  assert.equal([r.goldChunks, r.guessedChunks, r.correctChunks], [3, 4, 2]);
});

test('a chunk never crosses a sentence break', () => {
  const split = evaluateSentences([
    { gold: ['B-X'], guess: ['B-X'] },
    { gold: ['I-X'], guess: ['I-X'] },
  ]);
  // Each I-X after the break starts a new chunk: 2 gold, 2 guessed, both correct.
  assert.equal([split.goldChunks, split.guessedChunks, split.correctChunks], [2, 2, 2]);
  const joined = evaluateSentences([{ gold: ['B-X', 'I-X'], guess: ['B-X', 'I-X'] }]);
  assert.equal([joined.goldChunks, joined.guessedChunks, joined.correctChunks], [1, 1, 1]);
  // A guess I-X after a break is a fresh start that matches the gold B-X there.
  const fresh = evaluateSentences([
    { gold: ['B-X'], guess: ['B-X'] },
    { gold: ['B-X'], guess: ['I-X'] },
  ]);
  assert.equal([fresh.goldChunks, fresh.guessedChunks, fresh.correctChunks], [2, 2, 2]);
  const merged = evaluateSentences([{ gold: ['B-X', 'B-X'], guess: ['B-X', 'I-X'] }]);
  assert.equal([merged.goldChunks, merged.guessedChunks, merged.correctChunks], [2, 1, 0]);
});

test('a wrong end or a wrong type makes a chunk incorrect', () => {
  const longer = evaluateSentences([{ gold: ['B-X', 'O'], guess: ['B-X', 'I-X'] }]);
  assert.is(longer.correctChunks, 0);
  const shorter = evaluateSentences([{ gold: ['B-X', 'I-X'], guess: ['B-X', 'O'] }]);
  assert.is(shorter.correctChunks, 0);
  const retyped = evaluateSentences([{ gold: ['B-X', 'I-X'], guess: ['B-Y', 'I-Y'] }]);
  assert.equal([retyped.correctChunks, retyped.goldChunks, retyped.guessedChunks], [0, 1, 1]);
});

test('report: %6.2f rounds exact ties half-to-even like printf (12.125 → 12.12, toFixed says 12.13)', () => {
  // One sentence, 800 tokens: guess B-X everywhere (800 one-token chunks); gold B-X on the
  // first 97 tokens, O after. Correct: the 97 gold chunks. Equal tags: 97.
  // accuracy = precision = 100*97/800 = 12.125 exactly; recall 100; FB1 = 2425/112.125 = 21.6276…
  const gold = Array.from({ length: 800 }, (_, i) => (i < 97 ? 'B-X' : 'O'));
  const guess = Array.from({ length: 800 }, () => 'B-X');
  assert.is(
    report([{ gold, guess }]),
    [
      'processed 800 tokens with 97 phrases; found: 800 phrases; correct: 97.',
      'accuracy:  12.12%; precision:  12.12%; recall: 100.00%; FB1:  21.63',
      '                X: precision:  12.12%; recall: 100.00%; FB1:  21.63  800',
      '',
    ].join('\n'),
  );
});

test('report: typeless chunks print the "" type twice when gold and guess both have them (Perl quirk)', () => {
  // B I O: one chunk of type "" in gold and in guess, correct.
  const both = report([{ gold: ['B', 'I', 'O'], guess: ['B', 'I', 'O'] }]);
  const line = '                 : precision: 100.00%; recall: 100.00%; FB1: 100.00  1';
  assert.is(
    both,
    ['processed 3 tokens with 1 phrases; found: 1 phrases; correct: 1.', 'accuracy: 100.00%; precision: 100.00%; recall: 100.00%; FB1: 100.00', line, line, ''].join('\n'),
  );
  // Only gold has it: printed once.
  const goldOnly = report([{ gold: ['B', 'O'], guess: ['O', 'O'] }]);
  assert.is(goldOnly.split('\n').filter((l) => l.startsWith('                 :')).length, 1);
});

test('report: a type longer than 17 bytes is not cut; a non-ASCII type is padded by UTF-8 bytes', () => {
  const r = report([{ gold: ['B-VERY-LONG-TYPE-NAME', 'B-É'], guess: ['B-VERY-LONG-TYPE-NAME', 'O'] }]);
  const lines = r.split('\n');
  // Byte order: "V" (0x56) < "É" (0xC3 0x89).
  assert.is(lines[2], 'VERY-LONG-TYPE-NAME: precision: 100.00%; recall: 100.00%; FB1: 100.00  1');
  assert.is(lines[3], '               É: precision:   0.00%; recall:   0.00%; FB1:   0.00  0');
});

test('IOBES data: the default conlleval table merges S-X S-X; rules "iobes" does not', () => {
  const pairs = [{ gold: ['S-X', 'S-X', 'O'], guess: ['S-X', 'O', 'O'] }];
  // conlleval: gold X(0..1), guess X(0) → wrong end, 0 correct.
  const c = evaluateSentences(pairs);
  assert.equal([c.goldChunks, c.guessedChunks, c.correctChunks], [1, 1, 0]);
  // iobes: gold X(0), X(1); guess X(0) → 1 correct.
  const i = evaluateSentences(pairs, { rules: 'iobes' });
  assert.equal([i.goldChunks, i.guessedChunks, i.correctChunks], [2, 1, 1]);
});

test('bracket tags are counted by the conlleval state machine, quirks included', () => {
  // "[" chunks have length 1: two gold, two guessed, both correct.
  const brackets = evaluateSentences([{ gold: ['[-NP', '[-NP', 'O'], guess: ['[-NP', '[-NP', 'O'] }]);
  assert.equal([brackets.goldChunks, brackets.guessedChunks, brackets.correctChunks], [2, 2, 2]);
  // B-NP ]-NP: "]" starts a second chunk without the first ending, so conlleval keeps matching
  // one chunk: 2 gold and 2 guessed starts but only 1 correct, although gold == guess.
  const odd = evaluateSentences([{ gold: ['B-NP', ']-NP'], guess: ['B-NP', ']-NP'] }]);
  assert.equal([odd.goldChunks, odd.guessedChunks, odd.correctChunks], [2, 2, 1]);
});

test('a chunk still being matched at the end of input is counted (conlleval end-of-file rule)', () => {
  // B-X then typeless "S": the type change ends X and starts a "" chunk, which nothing (not even
  // the sentence break: S→O with equal types "") ends, so it is counted at end of input: 2 correct.
  const r = evaluateSentences([{ gold: ['B-X', 'S'], guess: ['B-X', 'S'] }]);
  assert.equal([r.goldChunks, r.guessedChunks, r.correctChunks], [2, 2, 2]);
  assert.equal([r.byType[''].correct, r.byType.X.correct], [1, 1]);
});

test('report: types sorted in byte order, not UTF-16 order', () => {
  const r = evaluateSentences([{ gold: ['B-😀', 'B-Ａ', 'B-a'], guess: ['O', 'O', 'O'] }]);
  assert.equal(Object.keys(r.byType), ['a', 'Ａ', '😀']);
  const types = formatConllevalReport(r).split('\n').slice(2, 5).map((l) => l.split(':')[0].trim());
  assert.equal(types, ['a', 'Ａ', '😀']);
});

test('type "__proto__" is an ordinary byType key', () => {
  const r = evaluateSentences([{ gold: ['B-__proto__'], guess: ['B-__proto__'] }]);
  assert.ok(Object.prototype.hasOwnProperty.call(r.byType, '__proto__'));
  assert.is(r.byType['__proto__'].correct, 1);
  assert.is(Object.getPrototypeOf(r.byType), Object.prototype);
});

test('input errors: length mismatch, non-string tag, unknown rules', () => {
  assert.throws(() => evaluateSentences([{ gold: ['O'], guess: ['O'] }, { gold: ['O', 'O'], guess: ['O'] }]), /sentence 1 has 2 gold tags but 1 guessed/);
  assert.throws(() => evaluateSentences([{ gold: ['O'], guess: [3 as unknown as string] }]), /tags must be strings/);
  assert.throws(() => evaluateSentences([], { rules: 'x' as 'iobes' }), /rules/);
});

test.run();
