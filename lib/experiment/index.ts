/**
 * Experiments: transfer pairs read and prepared, training protocols, the one run-execution path with
 * checkpoints, run records, grids, and result tables. The CLI's `experiment` and `report` commands are
 * thin shells over this layer. The Node-only parts (reading pairs from disk: `pairFiles.ts`; the run
 * store: `runStore.ts`) are imported by path, so that this index stays browser-safe.
 */
export { preparePairCorpus, type CorpusFiles, type PairCorpusOptions, type PairCorpus, type LoadedPair, type PairSide } from './pairCorpus.ts';
export { PROTOCOLS, lookupProtocol, methodSchedule, stepsPerPass, type Protocol, type MethodSchedule } from './protocol.ts';
export { prepareColumn, preparePair, pairDataHash, type GridColumn, type ExperimentSettings } from './gridColumn.ts';
export { executeRun, runSchedule, type CheckpointStore, type ExecuteRunOptions } from './executeRun.ts';
export { historyOf, type RunRecord, type HistoryEntry } from './runRecord.ts';
export { encodeCheckpoint, decodeCheckpoint, CHECKPOINT_KIND, type CheckpointIdentity } from './checkpointFile.ts';
export { gridRuns, assignRuns, runFile, runCost, METHOD_COST, type GridRun } from './grid.ts';
export { buildTable, formatMarkdown, formatCsv, columnName, columnsOf, type ResultTable, type Cell } from './resultsTable.ts';
