/** Training utilities: optimizers, weight decay, learning-rate schedules, clipping, NaN guards. */
export { Optimizer, type OptimizerState, describeParameter } from './optimizer.ts';
export { SGD, type SGDOptions } from './sgd.ts';
export { Adagrad, type AdagradOptions } from './adagrad.ts';
export { Adam, type AdamOptions } from './adam.ts';
export { l2Penalty } from './weightDecay.ts';
export { exponentialDecay, ExponentialDecaySchedule, type ExponentialDecayOptions } from './lrSchedule.ts';
export { clipGradNorm } from './clipping.ts';
export { guardStep, assertFiniteParameters, NonFiniteParameterError } from './finiteGuard.ts';
export { trainLoop, type StepFn, type StepProgress, type EpochReport, type TrainLoopOptions, type TrainResult, type LoopState } from './trainLoop.ts';
export { buildVocab, typesOf, withScheme, encodeAll, encodeSplit, predictTags, evaluateTagger, type TaggerVocab, type VocabOptions } from './taggerData.ts';
export { makeOptimizer, OPTIMIZERS, type OptimizerName } from './optimizerFactory.ts';
export { snapshotParameters, restoreSnapshot, type ParameterSnapshot } from './snapshot.ts';
export { trainTagger, type TrainTaggerOptions, type TaggerData } from './trainTagger.ts';
export { trainTransfer, trainingBatches, TRAINER_VERSION, decayedParameters, type TransferData, type TransferTrainOptions, type TransferRun, type Split, type TransferCheckpoint, type PhaseEpochReport } from './trainTransfer.ts';
export { TRAINING_DEFAULTS, defaultCharEncoder } from './defaults.ts';
export { DivergenceMonitor, DivergenceError, DIVERGENCE_FACTOR } from './divergence.ts';
