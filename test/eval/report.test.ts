import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { evaluateSentences, formatConllevalReport, parseConllevalInput } from '../../lib/eval/index.ts';

const FIXTURE = 'test/fixtures/eval/conlleval-sample.txt';
const text = readFileSync(new URL('../fixtures/eval/conlleval-sample.txt', import.meta.url), 'utf8');

/*
 * Hand derivation for test/fixtures/eval/conlleval-sample.txt (columns: word gold guess).
 * ✓/✗ after a token = whether its gold and guessed tags are equal (token accuracy).
 *
 * S1 (lines 1-9, 9 tokens, 7 tags equal):
 *   Dr O/O ✓ | Alice B-PER/I-PER ✗ | Smith I-PER/I-PER ✓ | visited O/O ✓ | the O/O ✓ |
 *   Mayo B-ORG/B-ORG ✓ | Clinic I-ORG/I-LOC ✗ | in O/O ✓ | Rochester B-LOC/B-LOC ✓
 *   gold:  PER(Alice..Smith)  ORG(Mayo..Clinic)  LOC(Rochester)                      = 3
 *   guess: PER(Alice..Smith)  [I-PER after O starts a chunk]
 *          ORG(Mayo)          [B-ORG then I-LOC: the type change ends ORG ...]
 *          LOC(Clinic)        [... and starts LOC]
 *          LOC(Rochester)     [chunk at sentence end]                               = 4
 *   correct: PER(Alice..Smith), LOC(Rochester); ORG differs in its end               = 2
 *
 * S2 (lines 11-18, 8 tokens, 6 tags equal):
 *   Take O/O ✓ | aspirin B-DRUG-NAME/B-DRUG-NAME ✓ | ibuprofen B-DRUG-NAME/I-DRUG-NAME ✗ |
 *   and O/O ✓ | vitamin B-DRUG-NAME/B-DRUG-NAME ✓ | C I-DRUG-NAME/I-DRUG-NAME ✓ |
 *   daily B-FREQ/O ✗ | . O/O ✓
 *   gold:  DRUG-NAME(aspirin) DRUG-NAME(ibuprofen) [adjacent same-type chunks]
 *          DRUG-NAME(vitamin C) FREQ(daily)                                         = 4
 *   guess: DRUG-NAME(aspirin ibuprofen) [wrong boundary: merges the two]
 *          DRUG-NAME(vitamin C)                                                     = 2
 *   correct: DRUG-NAME(vitamin C) (gold ends at B-FREQ, guess at O: same place)      = 1
 *
 * S3 (lines 20-27, 8 tokens, 5 tags equal):
 *   The O/O ✓ | New B-ORG/B-ORG ✓ | York I-ORG/I-ORG ✓ | Times I-ORG/O ✗ | reported O/O ✓ |
 *   Monday O/B-MISC ✗ | Bob B-PER/B-PER ✓ | Lee I-PER/I-LOC ✗
 *   gold:  ORG(New York Times)  PER(Bob Lee) [chunk at sentence end]                 = 2
 *   guess: ORG(New York) [too short]  MISC(Monday)  PER(Bob)  LOC(Lee)
 *          [B-PER followed by I-LOC: two chunks]                                    = 4
 *   correct: none                                                                   = 0
 *
 * S4 (lines 29-36, 8 tokens, 6 tags equal), IOBES tags:
 *   Berlin S-LOC/I-LOC ✗ | and O/O ✓ | Hamburg S-LOC/S-LOC ✓ | greet O/O ✓ |
 *   Anna B-PER/B-PER ✓ | Maria I-PER/I-PER ✓ | Weber E-PER/E-PER ✓ | today O/S-DATE ✗
 *   gold:  LOC(Berlin) LOC(Hamburg) PER(Anna Maria Weber)                            = 3
 *   guess: LOC(Berlin) [I-LOC right after the sentence break starts a chunk; S3 ended
 *          with I-LOC, so without the break it would continue LOC(Lee)]
 *          LOC(Hamburg) PER(Anna Maria Weber) DATE(today)                            = 4
 *   correct: LOC(Berlin), LOC(Hamburg), PER(Anna Maria Weber)                        = 3
 *   (conlleval rules: S-X is delimited by the type-change rules, B→I→E→O is one chunk.)
 *
 * S5 (lines 38-40, 3 tokens, 3 tags equal):
 *   Ada B-PER/B-PER ✓ | Bo B-PER/B-PER ✓ | met O/O ✓
 *   gold: PER(Ada) PER(Bo) = 2; guess: the same = 2; correct: both                  = 2
 *
 * S6 (lines 42-45, 4 tokens, 3 tags equal):
 *   Pfizer S-ORG/B-ORG ✗ | sells O/O ✓ | Zoloft S-DRUG-NAME/S-DRUG-NAME ✓ | tablets O/O ✓
 *   gold: ORG(Pfizer) DRUG-NAME(Zoloft) = 2; guess: ORG(Pfizer) DRUG-NAME(Zoloft) = 2;
 *   correct: both (different tags, same chunks)                                     = 2
 *
 * Totals: tokens 9+8+8+8+3+4 = 40; equal tags 7+6+5+6+3+3 = 30 → accuracy 75.00
 *   gold 3+4+2+3+2+2 = 16; guessed 4+2+4+4+2+2 = 18; correct 2+1+0+3+2+2 = 10
 *   precision 100*10/18 = 55.555… → 55.56; recall 100*10/16 = 62.50;
 *   FB1 = 2PR/(P+R) = 2*10/(18+16) = 58.823… → 58.82
 *
 * Per type (gold / guessed / correct → P, R, FB1):
 *   DATE       0 / 1 / 0 → 0, 0, 0
 *   DRUG-NAME  4 (S2 3, S6 1) / 3 (S2 2, S6 1) / 2 → 66.666… → 66.67, 50.00, 2*2/7 = 57.142… → 57.14
 *   FREQ       1 / 0 / 0 → 0, 0, 0
 *   LOC        3 (Rochester, Berlin, Hamburg) / 5 (Clinic, Rochester, Lee, Berlin, Hamburg) / 3
 *              → 60.00, 100.00, 2*3/8 = 75.00
 *   MISC       0 / 1 / 0 → 0, 0, 0
 *   ORG        3 (Mayo Clinic, New York Times, Pfizer) / 3 (Mayo, New York, Pfizer) / 1
 *              → 33.33, 33.33, 33.33
 *   PER        5 (Alice Smith, Bob Lee, Anna Maria Weber, Ada, Bo) / 5 (Alice Smith, Bob,
 *              Anna Maria Weber, Ada, Bo) / 4 → 80.00, 80.00, 80.00
 *   sums: gold 4+1+3+3+5 = 16; guessed 1+3+5+1+3+5 = 18; correct 2+3+1+4 = 10 (match totals).
 * Sorted (byte order): DATE < DRUG-NAME < FREQ < LOC < MISC < ORG < PER.
 * "%17s" right-aligns the type in 17 columns; the last number is the guessed count.
 */
const EXPECTED_REPORT = [
  'processed 40 tokens with 16 phrases; found: 18 phrases; correct: 10.',
  'accuracy:  75.00%; precision:  55.56%; recall:  62.50%; FB1:  58.82',
  '             DATE: precision:   0.00%; recall:   0.00%; FB1:   0.00  1',
  '        DRUG-NAME: precision:  66.67%; recall:  50.00%; FB1:  57.14  3',
  '             FREQ: precision:   0.00%; recall:   0.00%; FB1:   0.00  0',
  '              LOC: precision:  60.00%; recall: 100.00%; FB1:  75.00  5',
  '             MISC: precision:   0.00%; recall:   0.00%; FB1:   0.00  1',
  '              ORG: precision:  33.33%; recall:  33.33%; FB1:  33.33  3',
  '              PER: precision:  80.00%; recall:  80.00%; FB1:  80.00  5',
  '',
].join('\n');

test('fixture: parsed into the 6 sentences with their first line numbers', () => {
  const sentences = parseConllevalInput(text, FIXTURE);
  assert.equal(sentences.map((s) => s.line), [1, 11, 20, 29, 38, 42]);
  assert.equal(sentences.map((s) => s.gold.length), [9, 8, 8, 8, 3, 4]);
  assert.equal(sentences[2].words, ['The', 'New', 'York', 'Times', 'reported', 'Monday', 'Bob', 'Lee']);
  assert.equal(sentences[2].gold, ['O', 'B-ORG', 'I-ORG', 'I-ORG', 'O', 'O', 'B-PER', 'I-PER']);
  assert.equal(sentences[2].guess, ['O', 'B-ORG', 'I-ORG', 'O', 'O', 'B-MISC', 'B-PER', 'I-LOC']);
});

test('fixture: every line of the report equals the hand-derived conlleval output', () => {
  const report = formatConllevalReport(evaluateSentences(parseConllevalInput(text, FIXTURE)));
  const got = report.split('\n');
  const want = EXPECTED_REPORT.split('\n');
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    assert.is(got[i], want[i], `report line ${i + 1}`);
  }
  assert.is(report, EXPECTED_REPORT);
});

test('fixture: overall counts and per-type counts', () => {
  const r = evaluateSentences(parseConllevalInput(text, FIXTURE));
  assert.equal(
    [r.tokens, r.correctTokens, r.goldChunks, r.guessedChunks, r.correctChunks],
    [40, 30, 16, 18, 10],
  );
  assert.is(r.accuracy, 75);
  assert.ok(Math.abs(r.precision - 500 / 9) < 1e-12, `precision ${r.precision}`);
  assert.is(r.recall, 62.5);
  assert.ok(Math.abs(r.f1 - 1000 / 17) < 1e-12, `f1 ${r.f1}`);
  const counts = Object.fromEntries(Object.entries(r.byType).map(([t, c]) => [t, [c.gold, c.guessed, c.correct]]));
  assert.equal(counts, {
    DATE: [0, 1, 0],
    'DRUG-NAME': [4, 3, 2],
    FREQ: [1, 0, 0],
    LOC: [3, 5, 3],
    MISC: [0, 1, 0],
    ORG: [3, 3, 1],
    PER: [5, 5, 4],
  });
  assert.equal(Object.keys(r.byType), ['DATE', 'DRUG-NAME', 'FREQ', 'LOC', 'MISC', 'ORG', 'PER']);
  const drug = r.byType['DRUG-NAME'];
  assert.ok(Math.abs(drug.precision - 200 / 3) < 1e-12 && drug.recall === 50 && Math.abs(drug.f1 - 400 / 7) < 1e-12);
  assert.equal([r.byType.LOC.precision, r.byType.LOC.recall, r.byType.LOC.f1], [60, 100, 75]);
  assert.equal([r.byType.FREQ.precision, r.byType.FREQ.recall, r.byType.FREQ.f1], [0, 0, 0]);
});

test('fixture: the IOBES rule table scores this file the same (no S→S, E→B… transitions in it)', () => {
  const sentences = parseConllevalInput(text, FIXTURE);
  assert.is(formatConllevalReport(evaluateSentences(sentences, { rules: 'iobes' })), EXPECTED_REPORT);
});

test('fixture: CRLF line ends, tabs and repeated spaces parse to the same report', () => {
  const messy = text.replace(/ /g, ' \t  ').replace(/\n/g, '\r\n');
  assert.is(formatConllevalReport(evaluateSentences(parseConllevalInput(messy, FIXTURE))), EXPECTED_REPORT);
});

test('fixture: without the S3/S4 break, guess I-LOC(Berlin) continues LOC(Lee) (chunks never cross a break)', () => {
  const s = parseConllevalInput(text, FIXTURE);
  const joined = [s[0], s[1], { gold: [...s[2].gold, ...s[3].gold], guess: [...s[2].guess, ...s[3].guess] }, s[4], s[5]];
  const r = evaluateSentences(joined);
  // Hand count: guess loses one chunk (LOC(Lee Berlin) instead of LOC(Lee), LOC(Berlin)) and
  // gold LOC(Berlin) is no longer matched; gold S-LOC after I-PER still starts a chunk.
  assert.equal([r.goldChunks, r.guessedChunks, r.correctChunks], [16, 17, 9]);
  assert.equal([r.byType.LOC.gold, r.byType.LOC.guessed, r.byType.LOC.correct], [3, 4, 2]);
});

test.run();
