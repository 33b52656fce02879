/**
 * Every compared method as a configuration of the one trainer (lib/train/trainTransfer.ts): which
 * data each step sees, which loss terms of paper E11 are on, and which CRF tags the target.
 * docs/method.md has the same table in prose. None of the baseline definitions is confirmed as the
 * paper's own list (paper.md section 7): they are the usual transfer baselines and La-DTL's ablations.
 */

/** How an epoch's steps are formed. */
export type StepSchedule =
  /** target batches only */
  | 'target'
  /** source batches only */
  | 'source'
  /** source and target sentences pooled through one CRF (steps drawn like `joint`) */
  | 'merged'
  /** each target batch paired with the next source batch (the source cycles), both CRFs */
  | 'joint'
  /** source-only training, then the whole model (CRF copied to the target side) fine-tuned on target */
  | 'pretrain-then-target';

export type MethodName = 'target-only' | 'source-only' | 'merged' | 'init' | 'mult' | 'mmd' | 'la-mmd' | 'pt' | 'la-dtl';

export interface MethodSpec {
  name: MethodName;
  /** Short label for tables. */
  title: string;
  description: string;
  schedule: StepSchedule;
  /** The feature-transfer term: none, one label-agnostic MMD, or the label-aware MMD of E7. */
  mmd: 'none' | 'global' | 'label-aware';
  /** The CRF parameter-transfer term of E10. */
  parameterTransfer: boolean;
  /** Which CRF tags target sentences. */
  decodeWith: 'source' | 'target';
}

export const METHODS: Readonly<Record<MethodName, MethodSpec>> = {
  'target-only': { name: 'target-only', title: 'Target only', description: 'Bi-LSTM-CRF trained on the target train subset alone', schedule: 'target', mmd: 'none', parameterTransfer: false, decodeWith: 'target' },
  'source-only': { name: 'source-only', title: 'Source only', description: 'trained on source train alone, tags the target with the source CRF (no target labels used for training)', schedule: 'source', mmd: 'none', parameterTransfer: false, decodeWith: 'source' },
  merged: { name: 'merged', title: 'Merged', description: 'one Bi-LSTM-CRF trained on source and target sentences pooled (each step: a target batch and a source batch, one CRF)', schedule: 'merged', mmd: 'none', parameterTransfer: false, decodeWith: 'target' },
  init: { name: 'init', title: 'INIT', description: 'trained on source, then every weight (CRF included) fine-tuned on target', schedule: 'pretrain-then-target', mmd: 'none', parameterTransfer: false, decodeWith: 'target' },
  mult: { name: 'mult', title: 'MULT', description: 'shared encoder, one CRF per domain, loss α·L_s + (1−α)·L_t', schedule: 'joint', mmd: 'none', parameterTransfer: false, decodeWith: 'target' },
  mmd: { name: 'mmd', title: 'MMD', description: 'MULT + one label-agnostic MMD between all source and target token features', schedule: 'joint', mmd: 'global', parameterTransfer: false, decodeWith: 'target' },
  'la-mmd': { name: 'la-mmd', title: 'La-MMD', description: 'MULT + label-aware MMD (E7) only', schedule: 'joint', mmd: 'label-aware', parameterTransfer: false, decodeWith: 'target' },
  pt: { name: 'pt', title: 'PT', description: 'MULT + CRF parameter transfer (E10) only', schedule: 'joint', mmd: 'none', parameterTransfer: true, decodeWith: 'target' },
  'la-dtl': { name: 'la-dtl', title: 'La-DTL', description: 'MULT + label-aware MMD + CRF parameter transfer: the full objective E11', schedule: 'joint', mmd: 'label-aware', parameterTransfer: true, decodeWith: 'target' },
};

export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

/** Parses `all` or a comma-separated list of method names, refusing unknown ones. */
export function parseMethods(list: string): MethodSpec[] {
  if (list.trim() === 'all') return METHOD_NAMES.map((n) => METHODS[n]);
  return list.split(',').map((raw) => {
    const name = raw.trim().toLowerCase();
    if (!(name in METHODS)) throw new Error(`unknown method "${raw}": use all or some of ${METHOD_NAMES.join(', ')}`);
    return METHODS[name as MethodName];
  });
}
