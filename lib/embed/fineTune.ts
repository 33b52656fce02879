/**
 * Adapting a loaded tagger to a new domain from a few labelled sentences with La-DTL (paper E11),
 * where it runs: in a page's worker, in Node. The loaded model is the source domain: its encoder and
 * CRF initialise the shared encoder and *both* CRFs of a TransferModel; `source` sentences (a sample
 * of the data it was trained on, in its label set) give the source CRF loss and the source side of
 * the label-aware MMD; the user's `target` sentences give the target side. Training is the one
 * trainer of lib/train (`trainTransfer` with the La-DTL method), so every term, default and check is
 * the experiment's.
 *
 * What a handful of sentences changes:
 *  - there is no held-out target set, so the epoch is chosen on the target sentences themselves
 *    (training F1). With a few sentences this mostly keeps the last good epoch; it is not model
 *    selection in the experimental sense;
 *  - the vocabulary is the model's: words it never saw map to its unknown entry (the embedding table
 *    cannot grow without retraining), so adaptation works through context and the CRFs;
 *  - target tags must be in the model's label set; an unknown tag is an error naming the sentence.
 */
import type { Sentence } from '../data/index.ts';
import type { LoadedTagger } from '../io/index.ts';
import { encodeSplit, trainTransfer, type EpochReport, type StepProgress } from '../train/index.ts';
import { METHODS, type TransferHyper } from '../transfer/index.ts';

export interface FineTuneOptions {
  /** Passes over the target sentences (default 20). */
  epochs?: number;
  /** Adam learning rate (default 0.002, the experiments' default). */
  learningRate?: number;
  /** Sentences per batch on each side (default 15, or fewer if there are fewer target sentences). */
  batchSize?: number;
  seed?: number;
  /** Overrides of the La-DTL coefficients (α, μ, γ, λ; defaults as in `ladtl experiment`). */
  hyper?: Partial<TransferHyper>;
  onStep?(p: StepProgress): void;
  onEpoch?(r: EpochReport & { trainF1: number | null }): void;
}

/**
 * The adapted tagger (same vocabularies and labels), with a record of the adaptation. `source`
 * defaults to the sample of training sentences kept in the model file (`ladtl train --keep-sample`).
 */
export function fineTuneLaDtl(loaded: LoadedTagger, target: readonly Sentence[], source: readonly Sentence[] = loaded.sample.map((s, i) => ({ ...s, line: i + 1 })), o: FineTuneOptions = {}): LoadedTagger {
  if (target.length === 0) throw new Error('fineTuneLaDtl: no target sentences to adapt to');
  if (source.length === 0) throw new Error('fineTuneLaDtl: La-DTL needs source sentences: a sample of the model\'s own domain (this model file keeps none; pass them, or train with --keep-sample)');
  const { vocab } = loaded;
  const targetSplit = encodeSplit(target, vocab);
  const epochs = o.epochs ?? 20;
  const loadedParams = loaded.tagger.namedParameters();
  const run = trainTransfer(METHODS['la-dtl'], loaded.tagger.config, vocab, { source: { train: encodeSplit(source, vocab) }, target: { train: targetSplit, dev: targetSplit } }, {
    epochs, batchSize: o.batchSize ?? Math.min(15, target.length), optimizer: 'adam', learningRate: o.learningRate ?? 0.002, clipNorm: 5,
    seed: o.seed ?? 1, hyper: o.hyper,
    // Start from the loaded model: encoder as it is, both CRFs from its CRF.
    init: (model) => {
      for (const [name, v] of model.namedParameters()) {
        const from = name.startsWith('encoder.') ? name : name.replace(/^(source|target)Crf\./, 'crf.');
        const src = loadedParams.get(from);
        if (!src) throw new Error(`fineTuneLaDtl: the loaded model has no parameter ${from}`);
        v.value.data.set(src.value.data);
      }
    },
    onStep: o.onStep,
    onEpoch: o.onEpoch ? (r) => o.onEpoch!({ ...r, trainF1: r.dev?.f1 ?? null }) : undefined,
  });
  return {
    tagger: run.tagger,
    vocab,
    sample: loaded.sample,
    training: { ...loaded.training, fineTuned: { method: 'la-dtl', targetSentences: target.length, sourceSentences: source.length, epochs, bestEpoch: run.result.bestEpoch, trainF1: run.dev?.f1 ?? null } },
  };
}
