/** Copies of parameter values: how the best epoch on dev is kept while training goes on. */
import type { Variable } from '../autodiff/index.ts';

export type ParameterSnapshot = (Float32Array | Float64Array)[];

export function snapshotParameters(params: readonly Variable[]): ParameterSnapshot {
  return params.map((p) => p.value.values().slice());
}

/** Writes a snapshot back into the same parameters (in place). */
export function restoreSnapshot(params: readonly Variable[], snapshot: ParameterSnapshot): void {
  if (snapshot.length !== params.length) throw new Error(`restoreSnapshot: ${snapshot.length} tensors for ${params.length} parameters`);
  params.forEach((p, i) => {
    if (snapshot[i].length !== p.value.size) throw new Error(`restoreSnapshot: ${p.describe()} has ${p.value.size} elements, snapshot ${snapshot[i].length}`);
    p.value.data.set(snapshot[i], p.value.offset);
  });
}
