/**
 * `ladtl/node`: the Node-only helpers, kept out of the main entry so that it stays browser-safe.
 * Reading corpora, pair files and order files (errors name the file and line); writing model files
 * atomically and reading them back; reading transfer pairs from a data folder; the experiment run
 * store (records, checkpoints) and the report writer (figures need the optional peers `vega` and
 * `vega-lite`, the signed-rank test `@stdlib/stats-wilcoxon`).
 */
export { readTextFile, readCorpusFile, readPairsFile, readOrderFile } from './data/nodeFiles.ts';
export { writeModelFileAtomic, readModelFile, readModelBytes } from './io/nodeFiles.ts';
export { lockOutput, OutputLockedError, type LockHolder } from './io/outputLock.ts';
export { loadPairs, adHocPair, defaultDataDir } from './experiment/pairFiles.ts';
export { readRecord, readRunRecords, storedRunHashes, fileCheckpointStore, checkpointPath, writeJsonAtomic } from './experiment/runStore.ts';
export { writeReport, type ReportInput, type WrittenReport } from './experiment/writeReport.ts';
