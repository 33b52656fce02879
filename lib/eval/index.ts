/** conlleval-compatible NER/chunking evaluation (CoNLL-2000 conlleval.pl semantics), browser-safe. */
export {
  type ChunkOptions,
  type ChunkRules,
  type ChunkSpan,
  type SplitTag,
  OUTSIDE,
  chunkSpans,
  endOfChunk,
  splitTag,
  startOfChunk,
} from './chunks.ts';
export {
  type ConllevalSentence,
  type EvalResult,
  type EvaluateOptions,
  type ParseOptions,
  type SentencePair,
  type TypeScores,
  ConllevalParseError,
  conllevalScores,
  evaluateSentences,
  SentenceScorer,
  formatConllevalReport,
  parseConllevalInput,
} from './conlleval.ts';
export { printfFixed, printfString, compareCodePoints, utf8Length } from './format.ts';
