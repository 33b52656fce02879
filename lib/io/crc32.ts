/**
 * CRC-32 as in IEEE 802.3, zlib, PNG and gzip (reflected polynomial 0xEDB88320, initial value and
 * final XOR 0xFFFFFFFF), so a model file's checksums can be cross-checked with standard tools
 * (`python -c "import zlib; print(hex(zlib.crc32(data)))"`).
 *
 * It guards against accidental damage (truncated copies, flipped bits), not tampering: every
 * single-bit and burst error up to 32 bits is detected. Written here rather than imported because
 * the browser build must not depend on Node's zlib.
 */

/** The 256-entry byte table, built once at module load (1 KiB). */
const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * The CRC-32 of `bytes`, as an unsigned 32-bit integer.
 *
 * Pass the CRC of the preceding bytes as `previous` to continue a running checksum:
 * `crc32(b, crc32(a))` equals the CRC of `a` followed by `b`, which lets a checksum cover several
 * disjoint ranges without concatenating them.
 */
export function crc32(bytes: Uint8Array, previous = 0): number {
  let c = ~previous;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** A CRC as 8 lowercase hex digits (`cbf43926`), the form stored in model headers. */
export function crc32Hex(crc: number): string {
  return (crc >>> 0).toString(16).padStart(8, '0');
}
