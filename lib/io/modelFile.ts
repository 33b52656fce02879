/**
 * The ladtl model file: one self-describing binary blob holding a model's configuration, its
 * metadata (vocabularies, label lists, training information) and its parameter tensors.
 *
 * This module works on bytes only (no `fs`, `path`, `process` or Buffer), so a browser or a web
 * worker can load a model from `fetch()`; the Node helpers that touch the disk live in
 * `nodeFiles.ts`.
 *
 * ## Byte layout (format version 1)
 *
 * All integers are unsigned 32-bit little-endian.
 *
 * | offset          | size        | content                                                              |
 * | --------------- | ----------- | -------------------------------------------------------------------- |
 * | 0               | 8           | magic `LADTL\0\0\0` (`4c 41 44 54 4c 00 00 00`)                      |
 * | 8               | 4           | format version (1)                                                   |
 * | 12              | 4           | H, the byte length of the header JSON                                |
 * | 16              | 4           | CRC-32 of bytes [0, 16) followed by bytes [20, D) (see below)        |
 * | 20              | H           | the header: UTF-8 JSON, no byte-order mark                           |
 * | 20 + H          | 0–3         | zero padding, so that D = 20 + H rounded up to a multiple of 4       |
 * | D               | 4 × N       | tensor data: N float32 little-endian values                          |
 *
 * The file is exactly D + 4N bytes long; anything after the data is refused.
 *
 * The header is
 * `{ format: 'ladtl-model', version: 1, kind, config, metadata, tensors: [{ name, shape, offset, length }],
 * dataLength: N, checksum: { algorithm: 'crc32', data: '<8 hex digits>' } }`, where each tensor's
 * `offset` and `length` count floats from D, tensors are stored row-major, contiguous and packed
 * in table order (the first at 0, each next one where the previous ends, the last ending at N),
 * and `checksum.data` is the CRC-32 of the 4N data bytes.
 *
 * ## Why two checksums
 * The data checksum lives in the header, and the header checksum lives in the fixed preamble
 * (a header cannot contain its own checksum). The header checksum covers the magic, version and
 * header length as well as the JSON and its padding, so, together with the version check and the
 * exact-length check, changing any single byte of a file anywhere makes it refused.
 *
 * ## Why the magic is `LADTL\0\0\0`
 * Readable in a hex dump, and the NUL bytes make it unmistakably binary, so no text tool mistakes a
 * model for text. The version is a separate field so that a future reader can say "version 2 is
 * newer than this build" instead of "not a model".
 *
 * ## Values
 * Everything is stored as float32: float64 tensors (used by gradient checks) are rounded to float32
 * when written, and decoded tensors are always float32. Writing NaN or ±Infinity is refused (a
 * model with them would tag garbage without complaint), as is a float64 value beyond the float32
 * range (it would become Infinity).
 */
import { Tensor } from '../tensor/index.ts';
import { crc32, crc32Hex } from './crc32.ts';
import { ModelFileError, type ModelFileErrorReason } from './modelFileError.ts';

/** What a model file holds. */
export interface ModelContents {
  /** What the tensors are the parameters of, e.g. `'tagger'`; the loader checks it before restoring. */
  kind: string;
  /** The model's configuration, any JSON value (dimensions, tag scheme, ...). */
  config: unknown;
  /** JSON metadata: vocabularies, label lists, training information. */
  metadata: Record<string, unknown>;
  /** Parameter tensors by name, in the order they are stored (and decoded). */
  tensors: Map<string, Tensor>;
}

/** One row of the header's tensor table. `offset` and `length` count float32 values, not bytes. */
export interface TensorEntry {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

/** The JSON header, as stored. */
export interface ModelHeader {
  format: 'ladtl-model';
  version: number;
  kind: string;
  config: unknown;
  metadata: Record<string, unknown>;
  tensors: TensorEntry[];
  dataLength: number;
  checksum: { algorithm: 'crc32'; data: string };
}

/** The 8 bytes every model file starts with: `LADTL` and three NULs. */
export const MODEL_FILE_MAGIC: Uint8Array = Uint8Array.of(0x4c, 0x41, 0x44, 0x54, 0x4c, 0x00, 0x00, 0x00);
/** The format version this build writes and the only one it reads. */
export const MODEL_FILE_VERSION = 1;
/** The `format` field of the header. */
export const MODEL_FILE_FORMAT = 'ladtl-model';

const VERSION_OFFSET = 8;
const HEADER_LENGTH_OFFSET = 12;
const HEADER_CRC_OFFSET = 16;
/** Size of the fixed part before the header JSON; also where the JSON starts. */
const PREAMBLE_BYTES = 20;
const MAX_UINT32 = 0xffffffff;

/** True on little-endian hosts (all current browsers and Node platforms), where float bytes can be copied as is. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const utf8Encoder = new TextEncoder();
// `fatal`: invalid UTF-8 is an error rather than silently becoming U+FFFD. `ignoreBOM`: keep a
// BOM in the text (we never write one) so that JSON.parse refuses it instead of it passing unseen.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Serialises a model to the bytes of a version-1 model file (layout in this module's doc).
 *
 * `config` and `metadata` must be plain JSON (finite numbers, strings, booleans, null, arrays,
 * plain objects; object properties whose value is `undefined` are left out, as JSON.stringify does):
 * anything JSON would silently change (NaN, a Map, a Date, a cycle) is refused instead, so what is
 * saved is what is loaded. Tensors may be any view (transposed, sliced, float64); they are written
 * contiguous as float32.
 *
 * @param source names the model in error messages (e.g. the path it is being saved to).
 * @throws ModelFileError `invalid-contents` for non-JSON config/metadata or a bad tensor name,
 *   `non-finite` for a NaN/±Infinity value (naming the tensor and the element).
 */
export function encodeModelFile(contents: ModelContents, source = '<model being encoded>'): Uint8Array {
  if (typeof contents.kind !== 'string') {
    throw new ModelFileError(source, 'invalid-contents', `kind must be a string, got ${describeType(contents.kind)}`);
  }
  if (contents.config === undefined) {
    throw new ModelFileError(source, 'invalid-contents', 'config is undefined; use null for "no configuration"');
  }
  checkJson(contents.config, 'config', source, []);
  if (!isPlainObject(contents.metadata)) {
    throw new ModelFileError(source, 'invalid-contents', `metadata must be a plain object, got ${describeType(contents.metadata)}`);
  }
  checkJson(contents.metadata, 'metadata', source, []);

  // Convert every tensor first: the data checksum goes into the header, and the header's length
  // decides where the data starts, so the data must be known before anything is laid out.
  const entries: TensorEntry[] = [];
  const chunks: Uint8Array[] = [];
  let dataLength = 0;
  for (const [name, t] of contents.tensors) {
    if (typeof name !== 'string' || name.length === 0) {
      throw new ModelFileError(source, 'invalid-contents', `tensor names must be non-empty strings, got ${JSON.stringify(name)}`);
    }
    if (!(t instanceof Tensor)) {
      throw new ModelFileError(source, 'invalid-contents', `tensor '${name}' is ${describeType(t)}, not a Tensor`);
    }
    const values = float32Values(t, name, source);
    entries.push({ name, shape: [...t.shape], offset: dataLength, length: values.length });
    chunks.push(littleEndianBytes(values));
    dataLength += values.length;
  }
  let dataCrc = 0;
  for (const chunk of chunks) dataCrc = crc32(chunk, dataCrc);

  const header: ModelHeader = {
    format: MODEL_FILE_FORMAT,
    version: MODEL_FILE_VERSION,
    kind: contents.kind,
    config: contents.config,
    metadata: contents.metadata,
    tensors: entries,
    dataLength,
    checksum: { algorithm: 'crc32', data: crc32Hex(dataCrc) },
  };
  const headerBytes = utf8Encoder.encode(JSON.stringify(header));
  if (headerBytes.length > MAX_UINT32) {
    throw new ModelFileError(source, 'invalid-contents', `the header is ${headerBytes.length} bytes, more than the format's limit of ${MAX_UINT32}`);
  }
  const dataStart = align4(PREAMBLE_BYTES + headerBytes.length);
  const out = new Uint8Array(dataStart + 4 * dataLength); // zero-filled: the padding is already there
  const view = new DataView(out.buffer);
  out.set(MODEL_FILE_MAGIC, 0);
  view.setUint32(VERSION_OFFSET, MODEL_FILE_VERSION, true);
  view.setUint32(HEADER_LENGTH_OFFSET, headerBytes.length, true);
  out.set(headerBytes, PREAMBLE_BYTES);
  view.setUint32(HEADER_CRC_OFFSET, headerChecksum(out, dataStart), true);
  let at = dataStart;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * Parses and verifies the bytes of a model file.
 *
 * Every check happens before anything is returned: magic, version, lengths, both checksums, the
 * header's structure, the tensor table's consistency, finiteness of the values. Decoded tensors
 * are float32, contiguous, and each owns fresh storage: nothing is shared with `bytes` (the
 * caller's buffer may be reused, e.g. Node's pooled Buffers, and it need not be 4-byte aligned) or
 * between tensors (updating one in place cannot touch another).
 *
 * @param bytes the whole file (a Node Buffer is fine); an ArrayBuffer, e.g. from `fetch`, is accepted too.
 * @param source names the file in error messages (a path or URL).
 * @throws ModelFileError with reason `not-a-model`, `unsupported-version`, `truncated`, `corrupt`,
 *   `malformed`, `inconsistent-table` or `non-finite`; the message names `source`.
 */
export function decodeModelFile(bytes: Uint8Array | ArrayBuffer, source = '<bytes>'): ModelContents {
  const input = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const size = input.length;
  const fail = (reason: ModelFileErrorReason, problem: string) => new ModelFileError(source, reason, problem);

  // A short prefix of the magic is a truncated model; anything else is some other file. Comparing
  // only what is there lets "every prefix of a model" read as truncated, not as foreign.
  for (let i = 0; i < Math.min(size, MODEL_FILE_MAGIC.length); i++) {
    if (input[i] !== MODEL_FILE_MAGIC[i]) {
      throw fail('not-a-model', `not a ladtl model file: it starts with ${hexBytes(input.subarray(0, 8))}, a model starts with ${hexBytes(MODEL_FILE_MAGIC)} ("LADTL")`);
    }
  }
  if (size < VERSION_OFFSET + 4) {
    throw fail('truncated', `truncated: the file is ${size} bytes, but a model file needs at least ${PREAMBLE_BYTES} before its header`);
  }
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const version = view.getUint32(VERSION_OFFSET, true);
  if (version !== MODEL_FILE_VERSION) {
    const hint = version > MODEL_FILE_VERSION ? '; it was probably written by a newer ladtl' : '';
    throw fail('unsupported-version', `unsupported model file format version ${version}: this build reads version ${MODEL_FILE_VERSION} only${hint}`);
  }
  if (size < PREAMBLE_BYTES) {
    throw fail('truncated', `truncated: the file is ${size} bytes, but a model file needs at least ${PREAMBLE_BYTES} before its header`);
  }
  const headerLength = view.getUint32(HEADER_LENGTH_OFFSET, true);
  const headerEnd = PREAMBLE_BYTES + headerLength;
  const dataStart = align4(headerEnd);
  if (size < dataStart) {
    throw fail('truncated', `truncated: the file is ${size} bytes, but its ${headerLength}-byte header needs at least ${dataStart} (the tensor data comes after that)`);
  }
  const storedHeaderCrc = view.getUint32(HEADER_CRC_OFFSET, true);
  const actualHeaderCrc = headerChecksum(input, dataStart);
  if (storedHeaderCrc !== actualHeaderCrc) {
    throw fail('corrupt', `corrupt header: checksum mismatch (stored crc32 ${crc32Hex(storedHeaderCrc)}, computed ${crc32Hex(actualHeaderCrc)}); the file was damaged`);
  }

  let parsed: unknown;
  try {
    // slice: a private copy, so the decoder never sees a shared or foreign buffer.
    parsed = JSON.parse(utf8Decoder.decode(input.slice(PREAMBLE_BYTES, headerEnd)));
  } catch (e) {
    throw fail('malformed', `malformed header: not valid UTF-8 JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const header = validateHeader(parsed, version, source);

  const expectedSize = dataStart + 4 * header.dataLength;
  if (size < expectedSize) {
    throw fail('truncated', `truncated: the file is ${size} bytes, expected ${expectedSize} (${dataStart} of preamble and header, then ${header.dataLength} float32 values)`);
  }
  if (size > expectedSize) {
    throw fail('corrupt', `corrupt: the file is ${size} bytes, expected ${expectedSize}: ${size - expectedSize} unexpected bytes after the tensor data`);
  }
  const data = input.subarray(dataStart, expectedSize);
  const actualDataCrc = crc32Hex(crc32(data));
  if (actualDataCrc !== header.checksum.data) {
    throw fail('corrupt', `corrupt tensor data: checksum mismatch (stored crc32 ${header.checksum.data}, computed ${actualDataCrc}); the file was damaged`);
  }

  const tensors = new Map<string, Tensor>();
  for (const entry of header.tensors) {
    const values = readFloat32(data, entry.offset, entry.length);
    const bad = firstNonFinite(values);
    if (bad >= 0) {
      throw fail('non-finite', `tensor '${entry.name}' holds ${values[bad]} at index [${unravel(bad, entry.shape).join(', ')}]; a model must be finite`);
    }
    tensors.set(entry.name, new Tensor(values, entry.shape));
  }
  return { kind: header.kind, config: header.config, metadata: header.metadata, tensors };
}

/** CRC of the preamble without its checksum field, continued over the header JSON and its padding. */
function headerChecksum(file: Uint8Array, dataStart: number): number {
  return crc32(file.subarray(PREAMBLE_BYTES, dataStart), crc32(file.subarray(0, HEADER_CRC_OFFSET)));
}

/**
 * Checks the parsed header's structure (reason `malformed`) and then the tensor table's relations
 * to itself and to the data section (reason `inconsistent-table`).
 */
function validateHeader(parsed: unknown, preambleVersion: number, source: string): ModelHeader {
  const malformed = (problem: string) => new ModelFileError(source, 'malformed', `malformed header: ${problem}`);
  const inconsistent = (problem: string) => new ModelFileError(source, 'inconsistent-table', `tensor table inconsistent: ${problem}`);
  if (!isPlainObject(parsed)) throw malformed(`expected a JSON object, got ${describeType(parsed)}`);
  const h = parsed as Record<string, unknown>;
  if (h.format !== MODEL_FILE_FORMAT) throw malformed(`format is ${JSON.stringify(h.format)}, expected "${MODEL_FILE_FORMAT}"`);
  if (h.version !== preambleVersion) throw malformed(`version ${JSON.stringify(h.version)} disagrees with the preamble's version ${preambleVersion}`);
  if (typeof h.kind !== 'string') throw malformed(`kind must be a string, got ${describeType(h.kind)}`);
  if (!('config' in h)) throw malformed('config is missing');
  if (!isPlainObject(h.metadata)) throw malformed(`metadata must be an object, got ${describeType(h.metadata)}`);
  if (!isCount(h.dataLength)) throw malformed(`dataLength must be a non-negative integer, got ${JSON.stringify(h.dataLength)}`);
  const checksum = h.checksum as Record<string, unknown> | undefined;
  if (!isPlainObject(checksum) || checksum.algorithm !== 'crc32' || typeof checksum.data !== 'string' || !/^[0-9a-f]{8}$/.test(checksum.data)) {
    throw malformed(`checksum must be { algorithm: "crc32", data: <8 lowercase hex digits> }, got ${JSON.stringify(h.checksum)}`);
  }
  if (!Array.isArray(h.tensors)) throw malformed(`tensors must be an array, got ${describeType(h.tensors)}`);
  const dataLength = h.dataLength as number;

  const entries: TensorEntry[] = [];
  const seen = new Set<string>();
  let cursor = 0; // where the next tensor must start: tensors are packed in table order
  let previous: TensorEntry | null = null;
  const table = h.tensors as unknown[];
  for (let i = 0; i < table.length; i++) {
    const raw = table[i];
    if (!isPlainObject(raw)) throw malformed(`tensors[${i}] must be an object, got ${describeType(raw)}`);
    const e = raw as Record<string, unknown>;
    if (typeof e.name !== 'string' || e.name.length === 0) throw malformed(`tensors[${i}].name must be a non-empty string, got ${JSON.stringify(e.name)}`);
    const name = e.name as string;
    const what = `tensor '${name}' (entry ${i})`;
    if (!Array.isArray(e.shape) || !e.shape.every(isCount)) throw malformed(`${what}: shape must be an array of non-negative integers, got ${JSON.stringify(e.shape)}`);
    if (!isCount(e.offset)) throw malformed(`${what}: offset must be a non-negative integer, got ${JSON.stringify(e.offset)}`);
    if (!isCount(e.length)) throw malformed(`${what}: length must be a non-negative integer, got ${JSON.stringify(e.length)}`);
    const entry: TensorEntry = { name, shape: e.shape as number[], offset: e.offset as number, length: e.length as number };

    if (seen.has(name)) throw inconsistent(`${what}: the name appears more than once`);
    seen.add(name);
    const size = entry.shape.reduce((p, d) => p * d, 1);
    if (size !== entry.length) throw inconsistent(`${what}: shape [${entry.shape.join(', ')}] has ${size} elements but length is ${entry.length}`);
    if (entry.offset + entry.length > dataLength) {
      throw inconsistent(`${what}: floats [${entry.offset}, ${entry.offset + entry.length}) are out of range, the data holds ${dataLength}`);
    }
    if (entry.offset < cursor) {
      throw inconsistent(`${what}: starts at float ${entry.offset}, overlapping the tensors before it ('${previous!.name}' ends at float ${cursor})`);
    }
    if (entry.offset > cursor) {
      const after = previous ? `'${previous.name}' ends at ${cursor}` : 'the data starts at 0';
      throw inconsistent(`${what}: starts at float ${entry.offset}, but ${after}; tensors must be packed in table order without gaps`);
    }
    cursor = entry.offset + entry.length;
    previous = entry;
    entries.push(entry);
  }
  if (cursor !== dataLength) throw inconsistent(`the tensors cover ${cursor} floats but dataLength is ${dataLength}`);

  return {
    format: MODEL_FILE_FORMAT,
    version: preambleVersion,
    kind: h.kind as string,
    config: h.config,
    metadata: h.metadata as Record<string, unknown>,
    tensors: entries,
    dataLength,
    checksum: { algorithm: 'crc32', data: (checksum as Record<string, string>).data },
  };
}

/**
 * A tensor's elements as contiguous float32, refusing non-finite values. Float32 contiguous
 * tensors are read in place (no copy); others are converted.
 */
function float32Values(t: Tensor, name: string, source: string): Float32Array {
  const original = t.values();
  const values = original instanceof Float32Array ? original : Float32Array.from(original);
  const bad = firstNonFinite(values);
  if (bad >= 0) {
    const at = `index [${unravel(bad, t.shape).join(', ')}]`;
    const problem = Number.isFinite(original[bad])
      ? `tensor '${name}' holds ${original[bad]} at ${at}, which overflows float32 to ${values[bad]}; refusing to write a non-finite value`
      : `tensor '${name}' holds ${values[bad]} at ${at}; refusing to write a non-finite value`;
    throw new ModelFileError(source, 'non-finite', problem);
  }
  return values;
}

/** The little-endian bytes of float32 values: a view on little-endian hosts, a converted copy otherwise. */
function littleEndianBytes(values: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i], true);
  return out;
}

/** Copies `length` little-endian float32 values starting `offset` floats into `data` to fresh storage. */
function readFloat32(data: Uint8Array, offset: number, length: number): Float32Array {
  const out = new Float32Array(length);
  const from = data.subarray(4 * offset, 4 * (offset + length));
  if (LITTLE_ENDIAN) {
    // A byte copy works at any alignment of the source, which a Float32Array view would not.
    new Uint8Array(out.buffer).set(from);
  } else {
    const view = new DataView(from.buffer, from.byteOffset, from.byteLength);
    for (let i = 0; i < length; i++) out[i] = view.getFloat32(4 * i, true);
  }
  return out;
}

/** Index of the first NaN or ±Infinity, or -1. */
function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) {
    // x - x is 0 for finite x and NaN for NaN and ±Infinity: one cheap test for both.
    if (values[i] - values[i] !== 0) return i;
  }
  return -1;
}

/** The multi-index of a row-major flat index (so errors point at `[row, col]`, not a flat offset). */
function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return index;
}

/**
 * Throws unless `value` survives a JSON round trip unchanged; `path` (`config.layers[2]`) names
 * the offending part. `stack` holds the objects being visited, to refuse cycles.
 */
function checkJson(value: unknown, path: string, source: string, stack: object[]): void {
  const refuse = (why: string) => new ModelFileError(source, 'invalid-contents', `${path} ${why}; model files store plain JSON only`);
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw refuse(`is ${value}, which JSON cannot represent`);
      return;
    case 'object': {
      if (value === null) return;
      if (stack.includes(value)) throw refuse('refers back to one of its own containers (a cycle)');
      stack.push(value);
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          // undefined (or a hole) in an array would silently become null.
          if (value[i] === undefined) {
            throw new ModelFileError(source, 'invalid-contents', `${path}[${i}] is undefined, which JSON would turn into null; model files store plain JSON only`);
          }
          checkJson(value[i], `${path}[${i}]`, source, stack);
        }
      } else {
        if (!isPlainObject(value)) throw refuse(`is ${describeType(value)}, not a plain object`);
        for (const [key, v] of Object.entries(value)) {
          if (v === undefined) continue; // left out by JSON.stringify, and reads back as absent: same meaning
          checkJson(v, /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`, source, stack);
        }
      }
      stack.pop();
      return;
    }
    default:
      throw refuse(`is ${describeType(value)}, which JSON cannot store`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function align4(n: number): number {
  return Math.ceil(n / 4) * 4;
}

function hexBytes(bytes: Uint8Array): string {
  return bytes.length === 0 ? '(nothing)' : Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** "a Map", "an array", "null", "a number" ... for error messages. */
function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return `a ${typeof value}`;
}
