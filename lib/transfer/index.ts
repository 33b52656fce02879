/** The paper's contribution, in the paper's words: MMD, label-aware MMD, CRF parameter transfer, E11, the methods. */
export { mmd, subsampleRows, type MmdOptions } from './mmd.ts';
export { domainFeatures, rowsWithLabel, type DomainFeatures } from './features.ts';
export { labelAwareMmd, globalMmd, type LabelAwareMmdOptions, type LabelMmdTerm, type MmdLoss } from './labelAwareMmd.ts';
export { crfParameterTransfer, type ParameterTransferOptions } from './parameterTransfer.ts';
export { TransferModel } from './transferModel.ts';
export { METHODS, METHOD_NAMES, parseMethods, type MethodName, type MethodSpec, type StepSchedule } from './methods.ts';
export { jointLoss, singleDomainLoss, regularizer, DEFAULT_HYPER, type TransferHyper, type LabelledBatch, type StepLoss } from './objective.ts';
