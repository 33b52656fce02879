import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { Tensor, tensor, scalar, zeros, arange } from '../../lib/tensor/index.ts';
import { encodeModelFile, decodeModelFile, ModelFileError, type ModelContents } from '../../lib/io/index.ts';
import { refused } from './refused.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
const MAGIC = [0x4c, 0x41, 0x44, 0x54, 0x4c, 0, 0, 0]; // "LADTL\0\0\0", as documented
const hex = (n: number) => n.toString(16).padStart(8, '0');


/** A model with every awkward kind of tensor and non-ASCII JSON. */
function sample(): ModelContents {
  const base = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
  return {
    kind: 'tagger',
    config: { wordDim: 100, scheme: 'BIOES', note: '中文医疗命名实体 🏥', dropout: 0.5, layers: [1, 'two', null, true, { deep: [] }] },
    metadata: {
      labels: ['O', 'B-疾病', 'I-疾病', 'E-疾病', 'S-疾病'],
      words: ['<pad>', '<unk>', '肺炎', '🦠', 'naïve'],
      training: { epochs: 3, bestF1: 0.8125, corpus: 'ccks/心血管' },
      '键 with spaces': '😀',
    },
    tensors: new Map<string, Tensor>([
      ['encoder.W', tensor([0.5, -1.25, 3e-8, -0, 1e30, -7], [3, 2])],
      ['crf.start', scalar(3.5)],
      ['empty', zeros([0, 4])],
      ['transposed', base.transpose()],
      ['sliced', arange(10).slice([2], [5])],
      ['f64', tensor([0.1, -2.7, 1 / 3], [3], 'float64')],
    ]),
  };
}

/** Row-major values of a tensor as float32 would store them. */
const expectedValues = (t: Tensor) => Array.from(t.values(), Math.fround);

/** A small file for exhaustive cut/flip loops (every byte of it is visited). */
function small(kind = 'k'): Uint8Array {
  return encodeModelFile({ kind, config: { a: 1 }, metadata: { l: ['O', '中'] }, tensors: new Map([['w', tensor([1, -2, 3.5], [3])], ['s', scalar(4)]]) });
}

/** Builds a file around arbitrary header bytes, with a valid header checksum (computed by node:zlib, not our code). */
function craft(header: string | Uint8Array, data: Uint8Array = new Uint8Array(0), version = 1): Uint8Array {
  const h = typeof header === 'string' ? utf8(header) : header;
  const dataStart = Math.ceil((20 + h.length) / 4) * 4;
  const out = new Uint8Array(dataStart + data.length);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(8, version, true);
  view.setUint32(12, h.length, true);
  out.set(h, 20);
  view.setUint32(16, zlibCrc32(out.subarray(20, dataStart), zlibCrc32(out.subarray(0, 16))), true);
  out.set(data, dataStart);
  return out;
}

/** Little-endian float32 bytes of values. */
function floatBytes(values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return out;
}

/** A crafted file with a given tensor table over `values`, with both checksums valid. */
function craftTable(tensors: unknown[], values: number[], dataLength = values.length, extra: Record<string, unknown> = {}): Uint8Array {
  const data = floatBytes(values);
  const header = { format: 'ladtl-model', version: 1, kind: 'tagger', config: null, metadata: {}, tensors, dataLength, checksum: { algorithm: 'crc32', data: hex(zlibCrc32(data)) }, ...extra };
  return craft(JSON.stringify(header), data);
}

test('round trip: kind, non-ASCII config and metadata, and every tensor (scalar, empty, transposed, sliced, float64)', () => {
  const contents = sample();
  const decoded = decodeModelFile(encodeModelFile(contents));
  assert.is(decoded.kind, 'tagger');
  assert.equal(decoded.config, contents.config);
  assert.equal(decoded.metadata, contents.metadata);
  assert.equal([...decoded.tensors.keys()], [...contents.tensors.keys()], 'table order is kept');
  for (const [name, t] of contents.tensors) {
    const d = decoded.tensors.get(name)!;
    assert.equal(d.shape, t.shape, `${name} shape`);
    assert.is(d.dtype, 'float32', `${name} dtype`);
    assert.ok(d.isContiguous(), `${name} contiguous`);
    assert.equal(Array.from(d.values()), expectedValues(t), `${name} values`);
  }
  // Spot checks against hand-written expectations, so a shared mistake in expectedValues can't hide.
  assert.equal(decoded.tensors.get('transposed')!.toArray(), [1, 4, 2, 5, 3, 6]);
  assert.equal(decoded.tensors.get('sliced')!.toArray(), [2, 3, 4, 5, 6]);
  assert.is(decoded.tensors.get('crf.start')!.item(), 3.5);
  assert.equal(decoded.tensors.get('empty')!.shape, [0, 4]);
  assert.is(decoded.tensors.get('f64')!.get(0), Math.fround(0.1));
  assert.ok(Object.is(decoded.tensors.get('encoder.W')!.get(1, 1), -0), 'negative zero survives');
  assert.is((decoded.metadata.words as string[])[3], '🦠');
});

test('decoded tensors share nothing with the input bytes or with each other', () => {
  const bytes = encodeModelFile(sample());
  const decoded = decodeModelFile(bytes);
  const buffers = new Set<ArrayBufferLike>();
  for (const [name, t] of decoded.tensors) {
    assert.ok(t.data.buffer !== bytes.buffer, `${name} must not view the input`);
    assert.ok(!buffers.has(t.data.buffer), `${name} must own its storage`);
    buffers.add(t.data.buffer);
    assert.is(t.offset, 0);
    assert.is(t.data.length, t.size);
  }
  bytes.fill(0); // the caller reuses its buffer
  assert.equal(decoded.tensors.get('encoder.W')!.toArray(), expectedValues(sample().tensors.get('encoder.W')!));
});

test('decodes from an unaligned view, an ArrayBuffer, and a view inside a larger buffer', () => {
  const bytes = encodeModelFile(sample());
  for (const shift of [1, 2, 3]) {
    const host = new Uint8Array(bytes.length + shift + 5).fill(0xee);
    host.set(bytes, shift);
    const view = host.subarray(shift, shift + bytes.length);
    assert.equal(decodeModelFile(view).tensors.get('encoder.W')!.toArray(), expectedValues(sample().tensors.get('encoder.W')!), `shift ${shift}`);
  }
  const fromBuffer = decodeModelFile(bytes.slice().buffer);
  assert.equal(fromBuffer.metadata, sample().metadata);
});

test('encoding is deterministic and leaves the input tensors alone', () => {
  const contents = sample();
  const before = [...contents.tensors.values()].map((t) => t.toArray());
  const a = encodeModelFile(contents);
  const b = encodeModelFile(sample());
  assert.equal(Array.from(a), Array.from(b));
  assert.equal([...contents.tensors.values()].map((t) => t.toArray()), before);
});

test('byte layout: magic, version, header length, header checksum, padding, data at the documented offsets', () => {
  const contents = sample();
  const bytes = encodeModelFile(contents);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert.equal(Array.from(bytes.subarray(0, 8)), MAGIC);
  assert.is(new TextDecoder().decode(bytes.subarray(0, 5)), 'LADTL');
  assert.is(view.getUint32(8, true), 1, 'version at offset 8');
  const headerLength = view.getUint32(12, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + headerLength)));
  assert.is(header.format, 'ladtl-model');
  assert.is(header.version, 1);
  assert.is(header.kind, 'tagger');
  assert.equal(header.config, contents.config);
  const dataStart = Math.ceil((20 + headerLength) / 4) * 4;
  assert.equal(Array.from(bytes.subarray(20 + headerLength, dataStart)), new Array(dataStart - 20 - headerLength).fill(0), 'zero padding');
  assert.is(bytes.length, dataStart + 4 * header.dataLength, 'exact total length');
  assert.is(header.dataLength, 6 + 1 + 0 + 6 + 5 + 3);
  // The table is packed in order: each offset is where the previous tensor ends.
  let cursor = 0;
  for (const entry of header.tensors) {
    assert.is(entry.offset, cursor, entry.name);
    assert.is(entry.length, entry.shape.reduce((p: number, d: number) => p * d, 1), entry.name);
    cursor += entry.length;
  }
  assert.equal(header.tensors.map((e: { name: string }) => e.name), [...contents.tensors.keys()]);
  assert.equal(header.tensors[1].shape, [], 'a scalar has shape []');
  // Checksums, recomputed independently with node:zlib.
  assert.is(header.checksum.algorithm, 'crc32');
  assert.is(header.checksum.data, hex(zlibCrc32(bytes.subarray(dataStart))));
  assert.is(view.getUint32(16, true), zlibCrc32(bytes.subarray(20, dataStart), zlibCrc32(bytes.subarray(0, 16))));
  // Float32 little-endian data, row-major.
  const transposed = header.tensors.find((e: { name: string }) => e.name === 'transposed');
  const at = dataStart + 4 * transposed.offset;
  assert.equal([0, 1, 2, 3, 4, 5].map((i) => view.getFloat32(at + 4 * i, true)), [1, 4, 2, 5, 3, 6]);
  assert.is(view.getFloat32(dataStart, true), 0.5, 'first value of the first tensor');
});

test('every padding length (header length mod 4 = 0, 1, 2, 3) round trips', () => {
  const residues = new Set<number>();
  for (let n = 0; n < 8; n++) {
    const bytes = encodeModelFile({ kind: 'x'.repeat(n), config: null, metadata: {}, tensors: new Map([['w', tensor([1, 2])]]) });
    residues.add(new DataView(bytes.buffer).getUint32(12, true) % 4);
    const d = decodeModelFile(bytes);
    assert.is(d.kind, 'x'.repeat(n));
    assert.equal(d.tensors.get('w')!.toArray(), [1, 2]);
  }
  assert.is(residues.size, 4);
});

test('a model with no tensors round trips', () => {
  const d = decodeModelFile(encodeModelFile({ kind: 'empty', config: [], metadata: {}, tensors: new Map() }));
  assert.is(d.tensors.size, 0);
  assert.equal(d.config, []);
});

test('every prefix of a file is refused as truncated, naming actual and expected sizes', () => {
  for (const bytes of [small(), encodeModelFile(sample())]) {
    for (let n = 0; n < bytes.length; n++) {
      const err = refused(() => decodeModelFile(bytes.slice(0, n), 'cut.ladtl'), 'truncated', 'cut.ladtl: ', 'truncated', `is ${n} bytes`);
      assert.match(err.message, /(at least|expected) \d+/);
    }
  }
  // Cut inside the data: the exact expected length is known.
  const bytes = small();
  refused(() => decodeModelFile(bytes.slice(0, bytes.length - 1)), 'truncated', `expected ${bytes.length}`);
});

test('a changed byte anywhere in the file (padding included) is refused', () => {
  const paddings = new Set<number>();
  for (const kind of ['k', 'kk', 'kkk', 'kkkk']) {
    const bytes = small(kind);
    paddings.add((4 - ((20 + new DataView(bytes.buffer).getUint32(12, true)) % 4)) % 4);
    for (let i = 0; i < bytes.length; i++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const damaged = bytes.slice();
        damaged[i] ^= mask;
        let caught: unknown = null;
        try {
          decodeModelFile(damaged);
        } catch (e) {
          caught = e;
        }
        assert.instance(caught, ModelFileError, `kind ${kind}: byte ${i} ^ ${mask} must be refused`);
      }
    }
  }
  assert.equal([...paddings].sort(), [0, 1, 2, 3], 'files with every padding length were damaged');
});

test('a flipped byte in the header JSON is a corrupt header; in the data, corrupt data', () => {
  const bytes = small();
  const headerLength = new DataView(bytes.buffer).getUint32(12, true);
  const inHeader = bytes.slice();
  inHeader[20 + Math.floor(headerLength / 2)] ^= 0x04;
  refused(() => decodeModelFile(inHeader, 'm.ladtl'), 'corrupt', 'm.ladtl: ', 'corrupt header', 'checksum');
  const inData = bytes.slice();
  inData[inData.length - 3] ^= 0x10;
  refused(() => decodeModelFile(inData, 'm.ladtl'), 'corrupt', 'm.ladtl: ', 'corrupt tensor data', 'checksum');
  const crcField = bytes.slice();
  crcField[16] ^= 0x01;
  refused(() => decodeModelFile(crcField), 'corrupt', 'corrupt header');
  const lengthField = bytes.slice();
  lengthField[12] ^= 0x04; // header length +-4: same padding rule, different bytes covered
  let caught: unknown = null;
  try {
    decodeModelFile(lengthField);
  } catch (e) {
    caught = e;
  }
  assert.instance(caught, ModelFileError);
  assert.ok(['corrupt', 'truncated'].includes((caught as ModelFileError).reason), (caught as Error).message);
});

test('bytes after the data are refused', () => {
  const bytes = small();
  const longer = new Uint8Array(bytes.length + 4);
  longer.set(bytes);
  refused(() => decodeModelFile(longer, 'long.ladtl'), 'corrupt', 'long.ladtl: ', '4 unexpected bytes', `expected ${bytes.length}`);
});

test('wrong magic: not a ladtl model, even when short', () => {
  refused(() => decodeModelFile(utf8('{"format":"ladtl-model","version":1}'), 'model.json'), 'not-a-model', 'model.json: ', 'not a ladtl model', '7b 22');
  refused(() => decodeModelFile(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), 'not-a-model', 'not a ladtl model');
  refused(() => decodeModelFile(utf8('abc')), 'not-a-model', 'not a ladtl model');
  const bytes = small();
  bytes[4] = 0x4d; // LADTM
  refused(() => decodeModelFile(bytes), 'not-a-model');
});

test('version 2 is refused, naming the version found and the version supported', () => {
  const bytes = small();
  new DataView(bytes.buffer).setUint32(8, 2, true);
  refused(() => decodeModelFile(bytes, 'new.ladtl'), 'unsupported-version', 'new.ladtl: ', 'version 2', 'reads version 1', 'newer');
  // Even a file of a different layout is identified by its version, not misread as corrupt.
  refused(() => decodeModelFile(craft('{"anything": "else"}', new Uint8Array(0), 2)), 'unsupported-version', 'version 2');
  refused(() => decodeModelFile(craft('{}', new Uint8Array(0), 0)), 'unsupported-version', 'version 0');
});

test('malformed header JSON with a valid checksum is reported as malformed, not corrupt', () => {
  refused(() => decodeModelFile(craft('{"format": "ladtl-model", "version": 1,', new Uint8Array(0)), 'bad.ladtl'), 'malformed', 'bad.ladtl: ', 'malformed header', 'JSON');
  refused(() => decodeModelFile(craft(Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d))), 'malformed', 'UTF-8');
  refused(() => decodeModelFile(craft(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('{}')]))), 'malformed', 'JSON');
  refused(() => decodeModelFile(craft('[1, 2]')), 'malformed', 'expected a JSON object');
  refused(() => decodeModelFile(craftTable([], [], 0, { format: 'other' })), 'malformed', 'format');
  refused(() => decodeModelFile(craftTable([], [], 0, { version: 2 })), 'malformed', 'version 2 disagrees');
  refused(() => decodeModelFile(craftTable([], [], 0, { kind: 7 })), 'malformed', 'kind');
  refused(() => decodeModelFile(craftTable([], [], 0, { metadata: [] })), 'malformed', 'metadata');
  refused(() => decodeModelFile(craftTable([], [], 0, { checksum: { algorithm: 'md5', data: '00' } })), 'malformed', 'checksum');
  refused(() => decodeModelFile(craftTable([], [], 0, { tensors: {} })), 'malformed', 'tensors must be an array');
  refused(() => decodeModelFile(craftTable([], [], -1)), 'malformed', 'dataLength');
  refused(() => decodeModelFile(craftTable([{ name: 'w', shape: [1.5], offset: 0, length: 1 }], [1])), 'malformed', "tensor 'w'", 'shape');
  refused(() => decodeModelFile(craftTable([{ name: '', shape: [1], offset: 0, length: 1 }], [1])), 'malformed', 'name');
  const noConfig = JSON.stringify({ format: 'ladtl-model', version: 1, kind: 't', metadata: {}, tensors: [], dataLength: 0, checksum: { algorithm: 'crc32', data: '00000000' } });
  refused(() => decodeModelFile(craft(noConfig)), 'malformed', 'config is missing');
  // The crafting itself is sound: a well-formed crafted file decodes.
  const ok = decodeModelFile(craftTable([{ name: 'w', shape: [2], offset: 0, length: 2 }, { name: 'e', shape: [0], offset: 2, length: 0 }], [1.5, -2]));
  assert.equal(ok.tensors.get('w')!.toArray(), [1.5, -2]);
});

test('inconsistent tensor tables are refused, naming the tensor', () => {
  const two = [1, 2, 3, 4];
  refused(() => decodeModelFile(craftTable([{ name: 'a', shape: [2], offset: 0, length: 2 }, { name: 'b', shape: [2], offset: 1, length: 2 }], two, 4), 'tbl.ladtl'),
    'inconsistent-table', 'tbl.ladtl: ', 'tensor table inconsistent', "'b'", 'overlapping');
  refused(() => decodeModelFile(craftTable([{ name: 'a', shape: [2], offset: 0, length: 2 }, { name: 'b', shape: [1], offset: 3, length: 1 }], two)),
    'inconsistent-table', "'b'", 'gap');
  refused(() => decodeModelFile(craftTable([{ name: 'a', shape: [2], offset: 0, length: 2 }, { name: 'b', shape: [3], offset: 2, length: 3 }], two)),
    'inconsistent-table', "'b'", 'out of range');
  refused(() => decodeModelFile(craftTable([{ name: 'a', shape: [2, 3], offset: 0, length: 4 }], two)),
    'inconsistent-table', "'a'", 'shape [2, 3] has 6 elements but length is 4');
  refused(() => decodeModelFile(craftTable([{ name: 'a', shape: [2], offset: 0, length: 2 }, { name: 'a', shape: [2], offset: 2, length: 2 }], two)),
    'inconsistent-table', "'a'", 'more than once');
  refused(() => decodeModelFile(craftTable([{ name: 'a', shape: [2], offset: 0, length: 2 }], two)),
    'inconsistent-table', 'cover 2 floats but dataLength is 4');
  refused(() => decodeModelFile(craftTable([{ name: 'a', shape: [1], offset: 1, length: 1 }, { name: 'b', shape: [1], offset: 0, length: 1 }], [1, 2])),
    'inconsistent-table', "'a'", 'gap');
});

test('a crafted file holding NaN or Infinity is refused on decode', () => {
  const table = [{ name: 'crf.transitions', shape: [2, 2], offset: 0, length: 4 }];
  refused(() => decodeModelFile(craftTable(table, [1, 2, NaN, 4]), 'nan.ladtl'), 'non-finite', 'nan.ladtl: ', "'crf.transitions'", 'NaN', '[1, 0]');
  refused(() => decodeModelFile(craftTable(table, [1, 2, 3, -Infinity])), 'non-finite', '-Infinity', '[1, 1]');
});

test('encoding refuses NaN, Infinity and float32 overflow, naming the tensor and the element', () => {
  const withValue = (v: number, dtype: 'float32' | 'float64' = 'float32'): ModelContents => ({
    kind: 't', config: null, metadata: {},
    tensors: new Map([['ok', tensor([1])], ['crf.transitions', tensor([0, 1, 2, 3, 4, v], [2, 3], dtype)]]),
  });
  refused(() => encodeModelFile(withValue(NaN), 'out.ladtl'), 'non-finite', 'out.ladtl: ', "'crf.transitions'", 'NaN', '[1, 2]', 'refusing to write');
  refused(() => encodeModelFile(withValue(Infinity)), 'non-finite', 'Infinity', "'crf.transitions'");
  refused(() => encodeModelFile(withValue(1e300, 'float64')), 'non-finite', '1e+300', 'overflows float32', "'crf.transitions'");
  // A transposed view reports the index in its own (logical) shape.
  const t = tensor([0, 1, 2, NaN, 4, 5], [2, 3]).transpose();
  refused(() => encodeModelFile({ kind: 't', config: null, metadata: {}, tensors: new Map([['view', t]]) }), 'non-finite', "'view'", '[0, 1]');
});

test('encoding refuses config or metadata that JSON would silently change', () => {
  const base = (over: Partial<ModelContents>): ModelContents => ({ kind: 't', config: {}, metadata: {}, tensors: new Map(), ...over });
  refused(() => encodeModelFile(base({ config: { optimizer: { lr: NaN } } })), 'invalid-contents', 'config.optimizer.lr', 'NaN');
  refused(() => encodeModelFile(base({ metadata: { vocab: new Map() } })), 'invalid-contents', 'metadata.vocab', 'Map');
  refused(() => encodeModelFile(base({ metadata: { when: new Date(0) } })), 'invalid-contents', 'metadata.when', 'Date');
  refused(() => encodeModelFile(base({ config: [1, undefined] })), 'invalid-contents', 'config[1]', 'undefined');
  refused(() => encodeModelFile(base({ config: { f: () => 1 } })), 'invalid-contents', 'config.f', 'function');
  refused(() => encodeModelFile(base({ config: { big: 1n } })), 'invalid-contents', 'config.big', 'bigint');
  refused(() => encodeModelFile(base({ config: undefined })), 'invalid-contents', 'config is undefined');
  refused(() => encodeModelFile(base({ metadata: [] as unknown as Record<string, unknown> })), 'invalid-contents', 'metadata must be a plain object');
  refused(() => encodeModelFile(base({ kind: 3 as unknown as string })), 'invalid-contents', 'kind');
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  refused(() => encodeModelFile(base({ metadata: { cyclic } })), 'invalid-contents', 'metadata.cyclic.self', 'cycle');
  refused(() => encodeModelFile(base({ metadata: { 'B-疾病': { x: Infinity } } })), 'invalid-contents', 'metadata["B-疾病"].x');
  refused(() => encodeModelFile(base({ tensors: new Map([['', tensor([1])]]) })), 'invalid-contents', 'non-empty');
  refused(() => encodeModelFile(base({ tensors: new Map([['w', [1, 2] as unknown as Tensor]]) })), 'invalid-contents', "'w'", 'not a Tensor');
  // Shared (non-cyclic) references are fine, and undefined properties are simply left out.
  const shared = { n: 1 };
  const d = decodeModelFile(encodeModelFile(base({ config: { a: shared, b: shared, gone: undefined } })));
  assert.equal(d.config, { a: { n: 1 }, b: { n: 1 } });
});

test('the error carries source, reason and problem separately', () => {
  const err = refused(() => decodeModelFile(utf8('hello there, not a model'), 'https://example.org/m.ladtl'), 'not-a-model');
  assert.is(err.source, 'https://example.org/m.ladtl');
  assert.is(err.name, 'ModelFileError');
  assert.ok(err instanceof Error);
  assert.is(err.message, `${err.source}: ${err.problem}`);
  const anonymous = refused(() => decodeModelFile(new Uint8Array(0)), 'truncated');
  assert.is(anonymous.source, '<bytes>');
});

test.run();
