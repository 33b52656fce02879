/** A domain's Bi-LSTM outputs for one batch, flattened to token rows, with each row's gold label. */
import type { Variable } from '../autodiff/index.ts';
import * as ops from '../ops/index.ts';

export interface DomainFeatures {
  /** [B·T, D]: row b·T + t is the feature of token t of sentence b. */
  rows: Variable;
  /** [B·T] gold label ids, −1 at padding. */
  labels: Int32Array;
}

/** Flattens h [B, T, D] and pairs it with the batch's gold tag ids (−1 at padding). */
export function domainFeatures(h: Variable, tagIds: Int32Array): DomainFeatures {
  const [B, T, D] = h.shape;
  if (tagIds.length !== B * T) throw new Error(`domainFeatures: ${tagIds.length} tag ids for features of shape [${B}, ${T}, ${D}]`);
  return { rows: ops.reshape(h, [B * T, D]), labels: tagIds };
}

/** Rows whose label is `label` (or every real token when `label` is null). */
export function rowsWithLabel(f: DomainFeatures, label: number | null): number[] {
  const out: number[] = [];
  for (let i = 0; i < f.labels.length; i++) {
    const y = f.labels[i];
    if (y >= 0 && (label === null || y === label)) out.push(i);
  }
  return out;
}
