/**
 * A training checkpoint as bytes: the model file container (lib/io/modelFile.ts, kind
 * `training-checkpoint`, checksummed) holding the run's JSON state in its metadata and every float
 * buffer (parameters, optimizer slots, the best epoch's parameters) as tensors. Float32 values are
 * stored exactly, so a resumed run continues bit for bit; float64 training (tests only) is refused
 * rather than rounded.
 *
 * The `run` identity (configuration hash, method, seed) is stored with the state, so that a
 * checkpoint is never resumed into another run.
 */
import { encodeModelFile, decodeModelFile } from '../io/index.ts';
import { Tensor } from '../tensor/index.ts';
import type { TransferCheckpoint, OptimizerState, LoopState, ParameterSnapshot } from '../train/index.ts';

export const CHECKPOINT_KIND = 'training-checkpoint';

/** Which run a checkpoint belongs to. */
export interface CheckpointIdentity {
  configHash: string;
  method: string;
  seed: number;
}

function float32(values: Float32Array | Float64Array, what: string): Float32Array {
  if (!(values instanceof Float32Array)) throw new Error(`checkpoint: ${what} is ${values.constructor.name}; checkpoints store float32 training only`);
  return values;
}

/** JSON cannot hold -Infinity: the loop's "no best score yet" is stored as null. */
function loopToJson(loop: LoopState): unknown {
  return { ...loop, bestScore: Number.isFinite(loop.bestScore) ? loop.bestScore : null };
}

function loopFromJson(json: LoopState & { bestScore: number | null }): LoopState {
  return { ...json, bestScore: json.bestScore ?? -Infinity };
}

export function encodeCheckpoint(id: CheckpointIdentity, c: TransferCheckpoint, source = '<checkpoint>'): Uint8Array {
  const tensors = new Map<string, Tensor>();
  const put = (name: string, values: Float32Array | Float64Array): void => {
    const v = float32(values, name);
    tensors.set(name, new Tensor(v, [v.length]));
  };
  c.parameters.forEach((p, i) => put(`parameters/${i}`, p));
  c.best?.parameters.forEach((p, i) => put(`best/${i}`, p));
  const slotLayout: Record<string, boolean[]> = {};
  for (const [slot, buffers] of Object.entries(c.optimizer.slots)) {
    slotLayout[slot] = buffers.map((b) => b !== null);
    buffers.forEach((b, i) => { if (b !== null) put(`optimizer/${slot}/${i}`, b); });
  }
  const metadata = {
    run: id,
    phase: c.phase,
    loop: loopToJson(c.loop),
    optimizer: { type: c.optimizer.type, learningRate: c.optimizer.learningRate, steps: c.optimizer.steps, slots: slotLayout },
    random: c.random,
    sourceQueue: c.sourceQueue,
    earlierPhases: c.earlierPhases,
    parameterCount: c.parameters.length,
    best: c.best ? { dev: c.best.dev } : null,
  };
  return encodeModelFile({ kind: CHECKPOINT_KIND, config: null, metadata, tensors }, source);
}

/**
 * Decodes a checkpoint; throws (naming `source`) on damaged bytes, another kind of file, or a
 * checkpoint of another run than `expected`.
 */
export function decodeCheckpoint(bytes: Uint8Array, source: string, expected: CheckpointIdentity): TransferCheckpoint {
  const contents = decodeModelFile(bytes, source);
  if (contents.kind !== CHECKPOINT_KIND) throw new Error(`${source}: a '${contents.kind}' file, not a training checkpoint`);
  const m = contents.metadata as {
    run: CheckpointIdentity; phase: string; loop: LoopState & { bestScore: number | null };
    optimizer: { type: string; learningRate: number; steps: number[]; slots: Record<string, boolean[]> };
    random: TransferCheckpoint['random']; sourceQueue: number[][] | null; earlierPhases: TransferCheckpoint['earlierPhases']; parameterCount: number; best: { dev: NonNullable<TransferCheckpoint['best']>['dev'] } | null;
  };
  const run = m.run;
  if (run?.configHash !== expected.configHash || run.method !== expected.method || run.seed !== expected.seed) {
    throw new Error(`${source}: checkpoint of another run (${JSON.stringify(run)}, expected ${JSON.stringify(expected)})`);
  }
  const take = (name: string): Float32Array => {
    const t = contents.tensors.get(name);
    if (!t) throw new Error(`${source}: checkpoint lacks tensor '${name}'`);
    return t.data as Float32Array;
  };
  const list = (prefix: string): ParameterSnapshot => Array.from({ length: m.parameterCount }, (_, i) => take(`${prefix}/${i}`));
  const slots: OptimizerState['slots'] = {};
  for (const [slot, present] of Object.entries(m.optimizer.slots)) slots[slot] = present.map((has, i) => (has ? take(`optimizer/${slot}/${i}`) : null));
  return {
    phase: m.phase,
    loop: loopFromJson(m.loop),
    parameters: list('parameters'),
    optimizer: { type: m.optimizer.type, learningRate: m.optimizer.learningRate, steps: m.optimizer.steps, slots },
    random: m.random,
    sourceQueue: m.sourceQueue,
    earlierPhases: m.earlierPhases,
    best: m.best ? { parameters: list('best'), dev: m.best.dev } : null,
  };
}
