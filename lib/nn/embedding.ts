/**
 * `Embedding`: a trainable lookup table [vocabulary, dim]. Rows may be initialised from pretrained
 * vectors (word2vec/GloVe text format, parsed by lib/data); the coverage is reported, not hidden.
 */
import type { Rng } from '../tensor/index.ts';
import type { Variable } from '../autodiff/index.ts';
import * as ops from '../ops/index.ts';
import { Module } from './module.ts';
import { normal } from './init.ts';

/** What pretrained initialisation found. */
export interface PretrainedCoverage {
  /** Vocabulary entries that got a pretrained vector (exact match or lower-cased match). */
  found: number;
  /** Found through the lower-cased form only. */
  foundLowercased: number;
  /** Vocabulary size, minus the reserved entries. */
  total: number;
}

export class Embedding extends Module {
  readonly table: Variable;

  constructor(readonly size: number, readonly dim: number, rng: Rng, std = 0.1) {
    super();
    this.table = this.param('table', normal([size, dim], rng, std));
  }

  /** Rows for `ids` with the ids' shape plus dim. */
  forward(ids: Int32Array, shape: readonly number[]): Variable {
    return ops.gather(this.table, ids, shape);
  }

  /**
   * Copies pretrained vectors into the rows of tokens that have one. `tokens[i]` is the token of row
   * i; rows listed in `reserved` (e.g. <pad>, <unk>) are left alone. Throws when the vectors' dimension
   * differs from the table's.
   */
  loadPretrained(vectors: Map<string, Float32Array>, tokens: readonly string[], reserved: ReadonlySet<number>, source: string): PretrainedCoverage {
    const first = vectors.values().next();
    if (!first.done && first.value.length !== this.dim) {
      throw new Error(`${source}: pretrained vectors have dimension ${first.value.length}, the embedding has ${this.dim}`);
    }
    const data = this.table.value.data;
    let found = 0, foundLowercased = 0, total = 0;
    tokens.forEach((token, row) => {
      if (reserved.has(row)) return;
      total++;
      let v = vectors.get(token);
      if (!v) {
        v = vectors.get(token.toLowerCase());
        if (v) foundLowercased++;
      }
      if (!v) return;
      found++;
      data.set(v, row * this.dim);
    });
    return { found, foundLowercased, total };
  }
}
