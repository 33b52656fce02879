/**
 * lib/io: the model file. Browser-safe: this index exports only what works on bytes. The Node file
 * helpers (`writeModelFileAtomic`, `readModelFile`) are imported from `./nodeFiles.ts` directly,
 * so a browser bundle of this index never reaches `node:fs`.
 */
export {
  encodeModelFile,
  decodeModelFile,
  MODEL_FILE_MAGIC,
  MODEL_FILE_VERSION,
  MODEL_FILE_FORMAT,
  type ModelContents,
  type ModelHeader,
  type TensorEntry,
} from './modelFile.ts';
export { ModelFileError, type ModelFileErrorReason } from './modelFileError.ts';
export { collectParameters, restoreParameters, assertSameLabels, type ParameterSlot } from './parameters.ts';
export { crc32, crc32Hex } from './crc32.ts';
export { encodeTagger, decodeTagger, TAGGER_KIND, type TaggerVocabulary, type LoadedTagger, type SampleSentence } from './taggerFile.ts';
