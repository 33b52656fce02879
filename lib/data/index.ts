/**
 * The data layer: corpus parsing, tag schemes, label sets, transfer pairs, vocabularies, batching and
 * few-label subsets. Pure functions over plain records, usable in a browser; the Node file helpers
 * live apart in `nodeFiles.ts`.
 */
export { CorpusError } from './corpusError.ts';
export { withoutByteOrderMark } from './byteOrderMark.ts';
export type { Shuffler } from './shuffler.ts';
export { parseConll, isBlankLine, type Sentence, type ConllOptions } from './conll.ts';
export {
  type TagScheme, type TagParts, type TagProblem, type EntitySpan,
  TAG_SCHEMES, parseTagScheme, isTagScheme, splitTag, checkTag, findTagProblem, validateTags, convertTags, entitySpans,
} from './tagScheme.ts';
export { LabelSet, type LabelSetJson } from './labels.ts';
export { parsePairs, findPair, applyLabelMap, type LabelMap, type CorpusSide, type PairSpec, type PairsFile } from './pairs.ts';
export {
  Vocabulary, wordVocabularyFrom, charVocabularyFrom, compareCodePoints,
  PAD_ID, UNK_ID, PAD_TOKEN, UNK_TOKEN, type VocabularyOptions, type VocabularyJson,
} from './vocabulary.ts';
export { encodeSentence, collate, makeBatches, MAX_TOKEN_CHARS, longTokenCount, DECODE_WINDOW, tokenWindows, sliceEncoded, type EncodedSentence, type Batch, type BatchOptions } from './batching.ts';
export { parseOrderFile, fewLabelCount, fewLabelSubset, seededOrder, type FewLabelSubset } from './subsets.ts';
export { decodeUtf8, findInvalidUtf8 } from './utf8.ts';
export { isCharacterLevelCorpus, isCharacterLevelVocabulary } from './characterLevel.ts';
export { parseEmbeddings, type PretrainedVectors } from './embeddings.ts';
export { requireSentences, requireEntities } from './trainable.ts';
