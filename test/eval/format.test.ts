import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareCodePoints, printfFixed, printfString, utf8Length } from '../../lib/eval/index.ts';

test('printfFixed: %6.2f padding', () => {
  assert.is(printfFixed(0, 6, 2), '  0.00');
  assert.is(printfFixed(100, 6, 2), '100.00');
  assert.is(printfFixed(75, 6, 2), ' 75.00');
  assert.is(printfFixed(100 / 3, 6, 2), ' 33.33');
  assert.is(printfFixed(200 / 3, 6, 2), ' 66.67');
  assert.is(printfFixed(1234.5, 6, 2), '1234.50');
});

test('printfFixed: exact binary ties round half-to-even, others by the exact value', () => {
  // 0.125, 0.375, 12.125, 0.5 are exact doubles: ties.
  assert.is(printfFixed(0.125, 6, 2), '  0.12');
  assert.is(printfFixed(0.375, 6, 2), '  0.38');
  assert.is(printfFixed(12.125, 6, 2), ' 12.12');
  assert.is(printfFixed(12.875, 6, 2), ' 12.88');
  assert.is(printfFixed(0.5, 1, 0), '0');
  assert.is(printfFixed(1.5, 1, 0), '2');
  assert.is(printfFixed(2.5, 1, 0), '2');
  // 1.005, 1.015 and 2.675 are stored just below the tie (1.01499999…) → round down (half-up on
  // the decimal text would give 1.01, 1.02, 2.68); 99.995 is stored as 99.99500000000000454… → up.
  assert.is(printfFixed(1.005, 6, 2), '  1.00');
  assert.is(printfFixed(1.015, 6, 2), '  1.01');
  assert.is(printfFixed(2.675, 6, 2), '  2.67');
  assert.is(printfFixed(99.995, 6, 2), '100.00');
  assert.is(printfFixed(99.994, 6, 2), ' 99.99');
});

test('printfFixed: signs, tiny and huge values, non-finite', () => {
  assert.is(printfFixed(-0.001, 6, 2), ' -0.00');
  assert.is(printfFixed(5e-324, 6, 2), '  0.00');
  assert.is(printfFixed(1e22, 6, 2), '10000000000000000000000.00');
  assert.is(printfFixed(NaN, 6, 2), '   NaN');
  assert.is(printfFixed(Infinity, 6, 2), '   Inf');
});

test('printfString and utf8Length: %17s pads by UTF-8 bytes, never truncates', () => {
  assert.is(printfString('LOC', 17), '              LOC');
  assert.is(printfString('', 17), ' '.repeat(17));
  assert.is(utf8Length('É'), 2);
  assert.is(utf8Length('病'), 3);
  assert.is(utf8Length('😀'), 4);
  assert.is(printfString('病名', 17), ' '.repeat(11) + '病名');
  assert.is(printfString('A-VERY-LONG-TYPE-NAME', 17), 'A-VERY-LONG-TYPE-NAME');
});

test('compareCodePoints: byte order of UTF-8 (ASCII case-sensitive, astral after U+FFxx)', () => {
  assert.equal(['PER', 'LOC', 'DRUG-NAME', 'DATE', 'org', ''].sort(compareCodePoints), ['', 'DATE', 'DRUG-NAME', 'LOC', 'PER', 'org']);
  // UTF-16 order puts U+1F600 (surrogates D83D…) before U+FF21; byte/code point order does not.
  assert.equal(['😀', 'Ａ'].sort(compareCodePoints), ['Ａ', '😀']);
  assert.is(compareCodePoints('AB', 'A'), 1);
  assert.is(compareCodePoints('A', 'A'), 0);
});

test.run();
