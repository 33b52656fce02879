/** Tagging for embedders: model bytes in, entities out (browser-safe). */
export { NerTagger, type TaggedEntity, type TagResult, type TagOptions, type NBestLabelling } from './nerTagger.ts';
export { tokenizeText, type TextToken, type TokenizeMode } from './tokenize.ts';
export { fineTuneLaDtl, type FineTuneOptions } from './fineTune.ts';
export { createTaggerWorker, serveTagger, type PortLike, type TaggerWorkerClient, type FineTuneProgress, type FineTuneRequest } from './workerProtocol.ts';
export { parseMarkedSentence, parseMarkedSentences } from './markup.ts';
