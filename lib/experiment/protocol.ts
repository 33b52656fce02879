/**
 * Training protocols: how long every compared method trains and how its epoch is selected, in one
 * definition shared by all methods of a grid.
 *
 * The budget is counted in optimizer steps, expressed as passes over the source train set's batches,
 * because that is the one measure the methods share: the joint methods (MULT … La-DTL) and Merged take
 * one source batch per step, INIT spends part of the budget pre-training on the source and the rest
 * fine-tuning, target-only and source-only get the same number of steps on their one domain. An epoch
 * stays what the trainer calls an epoch (a pass over the target subset for every schedule but the
 * source one), so the budget becomes a per-method number of epochs here. Target dev is evaluated a
 * fixed number of times per source pass, whatever the sizes of the two sets, and the epoch with the
 * best target dev F1 is kept; test is read once, after training.
 *
 * Why not the authors' "200 target epochs": a target epoch is 6 steps on zh-history-to-course at 10%
 * and 37 on disease-bc5cdr-to-ncbi, so 200 of them are 6 source passes on one pair and 24 on the
 * other. docs/method.md ("Training protocol") gives the evidence for the chosen budget.
 */
import type { MethodSpec } from '../transfer/index.ts';

export interface Protocol {
  /** Preset name (`--protocol NAME`). */
  name: string;
  /** One line for `--help` and the docs. */
  summary: string;
  /** Every method's budget, in steps, as passes over the source train set's batches. */
  sourcePasses: number;
  /** INIT: how many of the passes are source pre-training (the rest is fine-tuning on the target). */
  pretrainPasses: number;
  /** Target dev evaluations per source pass (every epoch at most). */
  evalsPerPass: number;
  /** Stop after this many evaluations without a better dev F1; null: train the whole budget. */
  patience: number | null;
  /** Sentences per batch (per domain) and Adam's learning rate, unless given explicitly. */
  batchSize: number;
  learningRate: number;
}

/**
 * The paper's batch (15, the authors' run.sh) and the learning rate of the reproduction (0.002,
 * docs/method.md), which every preset uses: the library's defaults (lib/train/defaults.ts) are tuned
 * for small corpora instead. A budget in source passes is a number of steps only with its batch.
 */
export const PAPER_OPTIMIZATION = { batchSize: 15, learningRate: 0.002 } as const;

/** The presets; `paper` is the protocol of the reproduction (docs/results.md). */
export const PROTOCOLS: Record<string, Protocol> = {
  paper: {
    name: 'paper', summary: '6 source passes of steps for every method (INIT: 3 of pre-training), no early stopping, target dev 5x per pass, best dev epoch kept',
    sourcePasses: 6, pretrainPasses: 3, evalsPerPass: 5, patience: null, ...PAPER_OPTIMIZATION,
  },
  quick: {
    name: 'quick', summary: 'the paper protocol cut to 4 source passes (INIT: 3 of pre-training), for the quick start',
    sourcePasses: 4, pretrainPasses: 3, evalsPerPass: 5, patience: null, ...PAPER_OPTIMIZATION,
  },
  curves: {
    name: 'curves', summary: '10 source passes, no early stopping, dev 10x per pass: the dev-curve study that chose `paper`',
    sourcePasses: 10, pretrainPasses: 3, evalsPerPass: 10, patience: null, ...PAPER_OPTIMIZATION,
  },
};

/** What a protocol means for one method on one pair: the trainer's epoch counts. */
export interface MethodSchedule {
  /** Epochs of the selected phase (source passes for source-only, target passes otherwise). */
  epochs: number;
  /** INIT's pre-training epochs (source passes); source-only's epochs. */
  pretrainEpochs: number;
  /** Evaluate target dev every this many epochs (and after the last). */
  evalEvery: number;
  patience: number | undefined;
  /** Optimizer steps in all (joint and merged steps count once, though they take two batches). */
  steps: number;
}

/** Batches of an epoch over `sentences` (the trainer keeps the last, smaller batch). */
export function stepsPerPass(sentences: number, batchSize: number): number {
  return Math.ceil(sentences / batchSize);
}

export function lookupProtocol(name: string): Protocol {
  const p = PROTOCOLS[name];
  if (!p) throw new Error(`unknown protocol "${name}"; known: ${Object.keys(PROTOCOLS).join(', ')}`);
  return p;
}

/**
 * The epochs a protocol gives `method` on a pair with `sourceSentences` source and `targetSentences`
 * target train sentences. A run with a smaller budget is exactly the start of a run with a larger
 * one (same data order, same evaluations), which is what lets dev curves choose the budget.
 */
export function methodSchedule(protocol: Protocol, method: MethodSpec, sourceSentences: number, targetSentences: number, batchSize: number): MethodSchedule {
  const sourceSteps = stepsPerPass(sourceSentences, batchSize), targetSteps = stepsPerPass(targetSentences, batchSize);
  const patience = protocol.patience ?? undefined;
  // Target epochs that make `passes` source passes of steps, and how many of them between evaluations.
  const targetEpochs = (passes: number): number => Math.max(1, Math.ceil((passes * sourceSteps) / targetSteps));
  const evalEvery = Math.max(1, Math.round(sourceSteps / (protocol.evalsPerPass * targetSteps)));
  switch (method.schedule) {
    case 'source':
      return { epochs: protocol.sourcePasses, pretrainEpochs: protocol.sourcePasses, evalEvery: 1, patience, steps: protocol.sourcePasses * sourceSteps };
    case 'pretrain-then-target': {
      const epochs = targetEpochs(protocol.sourcePasses - protocol.pretrainPasses);
      return { epochs, pretrainEpochs: protocol.pretrainPasses, evalEvery, patience, steps: protocol.pretrainPasses * sourceSteps + epochs * targetSteps };
    }
    default: {
      const epochs = targetEpochs(protocol.sourcePasses);
      return { epochs, pretrainEpochs: 0, evalEvery, patience, steps: epochs * targetSteps };
    }
  }
}
