/**
 * Pretrained vectors in the word2vec/GloVe text format: one `token v1 v2 ... vd` per line, separated
 * by spaces, with an optional word2vec header line `count dim`. Malformed lines are errors naming the
 * file and line (a wrong number of values, a value that is not a finite number), never skipped.
 */
import { CorpusError } from './corpusError.ts';
import { withoutByteOrderMark } from './byteOrderMark.ts';

/** The largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

export interface PretrainedVectors {
  dim: number;
  vectors: Map<string, Float32Array>;
}

export function parseEmbeddings(text: string, file: string): PretrainedVectors {
  const lines = withoutByteOrderMark(text).split('\n');
  const vectors = new Map<string, Float32Array>();
  let dim = -1;
  let first = 0;
  const header = lines[0]?.trim().split(/ +/);
  if (header && header.length === 2 && /^\d+$/.test(header[0]) && /^\d+$/.test(header[1])) {
    dim = Number(header[1]);
    first = 1;
  }
  for (let i = first; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (line.trim() === '') continue;
    const parts = line.trimEnd().split(' ');
    const token = parts[0];
    const values = parts.slice(1);
    if (token === '' || values.length === 0) throw new CorpusError(file, i + 1, 'expected a token followed by its vector values, separated by single spaces');
    if (dim === -1) dim = values.length;
    if (values.length !== dim) throw new CorpusError(file, i + 1, `vector of "${token}" has ${values.length} values, expected ${dim}`);
    const v = new Float32Array(dim);
    for (let j = 0; j < dim; j++) {
      const x = Number(values[j]);
      if (values[j] === '' || !Number.isFinite(x)) throw new CorpusError(file, i + 1, `value ${j + 1} of "${token}" is not a finite number: ${JSON.stringify(values[j])}`);
      // Stored as float32: a larger magnitude would become Infinity and surface later as a
      // non-finite parameter, far from this line.
      if (Math.abs(x) > FLOAT32_MAX) throw new CorpusError(file, i + 1, `value ${j + 1} of "${token}" is too large for float32 (|x| ≤ ${FLOAT32_MAX.toExponential(4)}): ${values[j]}`);
      v[j] = x;
    }
    if (vectors.has(token)) throw new CorpusError(file, i + 1, `"${token}" has a second vector`);
    vectors.set(token, v);
  }
  if (vectors.size === 0) throw new CorpusError(file, null, 'no vectors found');
  return { dim, vectors };
}
