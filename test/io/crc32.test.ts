import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { crc32, crc32Hex } from '../../lib/io/crc32.ts';
import { Rng } from '../../lib/tensor/index.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

test('known CRC-32 (IEEE 802.3) vectors, as zlib/PNG compute them', () => {
  const vectors: [Uint8Array, string][] = [
    [utf8(''), '00000000'],
    [utf8('123456789'), 'cbf43926'],
    [utf8('a'), 'e8b7be43'],
    [utf8('The quick brown fox jumps over the lazy dog'), '414fa339'],
    [Uint8Array.of(0), 'd202ef8d'],
    [new Uint8Array(32), '190a55ad'],
    [new Uint8Array(32).fill(0xff), 'ff6cab0b'],
    [utf8('中文🙂'), '64e26561'],
  ];
  for (const [bytes, hex] of vectors) assert.is(crc32Hex(crc32(bytes)), hex, `crc32 of ${bytes.length} bytes`);
});

test('the result is an unsigned 32-bit integer and the hex form is zero-padded', () => {
  const c = crc32(utf8('123456789'));
  assert.is(c, 0xcbf43926);
  assert.ok(c > 0, 'unsigned, not a negative int32');
  assert.is(crc32Hex(0x1f), '0000001f');
});

test('a running checksum over pieces equals the checksum of the whole, and agrees with node:zlib', () => {
  const rng = new Rng(3);
  const data = Uint8Array.from({ length: 1000 }, () => Math.floor(rng.uniform() * 256));
  const whole = crc32(data);
  assert.is(whole, zlibCrc32(data));
  for (const cut of [0, 1, 7, 500, 999, 1000]) {
    assert.is(crc32(data.subarray(cut), crc32(data.subarray(0, cut))), whole, `split at ${cut}`);
  }
});

test('every single-bit flip changes the checksum', () => {
  const data = utf8('label-aware double transfer');
  const base = crc32(data);
  for (let i = 0; i < data.length; i++) {
    for (let bit = 0; bit < 8; bit++) {
      const copy = data.slice();
      copy[i] ^= 1 << bit;
      assert.is.not(crc32(copy), base, `byte ${i} bit ${bit}`);
    }
  }
});

test.run();
