/**
 * printf-compatible number and string formatting for the conlleval report, as Perl's printf
 * (C's printf on glibc) does it. `Number.prototype.toFixed` differs on exact ties: it rounds
 * 12.125 to "12.13", printf rounds the exact binary value half-to-even and prints "12.12"
 * (100*97/800 = 12.125 is a precision conlleval can print).
 */

const F64 = new DataView(new ArrayBuffer(8));

/**
 * `%W.Df`: `x` rounded to `digits` decimals, round-half-even on its exact binary value, left-padded
 * with spaces to `width`. Non-finite values print as Perl does ("NaN", "Inf", "-Inf").
 */
export function printfFixed(x: number, width: number, digits: number): string {
  let body: string;
  if (Number.isNaN(x)) body = 'NaN';
  else if (!Number.isFinite(x)) body = x > 0 ? 'Inf' : '-Inf';
  else body = (x < 0 || Object.is(x, -0) ? '-' : '') + fixedAbs(Math.abs(x), digits);
  return body.padStart(width, ' ');
}

/** Exact decimal rounding of a finite non-negative double, via its mantissa and exponent. */
function fixedAbs(a: number, digits: number): string {
  if (!Number.isInteger(digits) || digits < 0 || digits > 100) throw new RangeError(`digits ${digits}`);
  F64.setFloat64(0, a);
  const hi = F64.getUint32(0);
  const lo = F64.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074; // subnormal or zero
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  // a = mant * 2^exp exactly; scaled = a * 10^digits = num / den.
  const scale = 10n ** BigInt(digits);
  let num = mant * scale;
  let den = 1n;
  if (exp >= 0) num <<= BigInt(exp);
  else den <<= BigInt(-exp);
  let q = num / den;
  const twiceRem = 2n * (num % den);
  if (twiceRem > den || (twiceRem === den && q % 2n === 1n)) q += 1n;
  if (digits === 0) return q.toString();
  const s = q.toString().padStart(digits + 1, '0');
  return `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}`;
}

/** Length in UTF-8 bytes: conlleval reads undecoded bytes, so `%17s` pads by bytes. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3; // lone surrogate: encoded as U+FFFD
    } else n += 3;
  }
  return n;
}

/** `%Ws`: right-justified in `width` bytes. */
export function printfString(s: string, width: number): string {
  const pad = width - utf8Length(s);
  return pad > 0 ? ' '.repeat(pad) + s : s;
}

/** Perl's default `sort` order on byte strings (UTF-8 byte order) is code point order: one home, in data. */
export { compareCodePoints } from '../data/vocabulary.ts';
