/**
 * A column of an experiment grid: one pair at one target fraction, prepared once for all its
 * methods and seeds (the same vocabulary and model configuration for every method, so that they differ
 * only in how they train), with the hash that identifies its runs' configuration.
 */
import { isCharacterLevelCorpus, MAX_TOKEN_CHARS, DECODE_WINDOW, type Sentence } from '../data/index.ts';
import { defaultCharEncoder } from '../train/index.ts';
import type { TaggerConfig } from '../nn/index.ts';
import { crc32, crc32Hex } from '../io/index.ts';
import { TRAINER_VERSION } from '../train/index.ts';
import type { TransferHyper } from '../transfer/index.ts';
import { preparePairCorpus, type PairCorpus, type LoadedPair } from './pairCorpus.ts';
import type { Protocol } from './protocol.ts';

/** How the runs of a grid train, but for what varies across it (pair, fraction, method, seed). */
export interface ExperimentSettings {
  training: {
    /** Ignored under a protocol, which fixes these four per method (protocol.ts). */
    epochs: number; pretrainEpochs: number; patience: number; evalEvery: number;
    batchSize: number; optimizer: string; learningRate: number; clipNorm: number | undefined;
    hyper: Partial<TransferHyper>;
  };
  /** The training protocol, or null for the explicit epochs of `training`. */
  protocol: Protocol | null;
  /** Character encoder; `auto`: none for character-level corpora (Chinese), a CNN otherwise. */
  char: 'auto' | 'cnn' | 'lstm' | 'none';
  model: { hidden: number; wordDim: number; dropout: number };
  /** Check every op for NaN/Inf (slower; does not change what a run computes). */
  checkFinite?: boolean;
}

export interface GridColumn {
  pair: LoadedPair;
  fraction: number;
  corpus: PairCorpus;
  config: TaggerConfig;
  char: 'cnn' | 'lstm' | 'none';
  /** Everything a run's outcome depends on but its method and seed; a stored run with another hash is redone. */
  configHash: string;
}

/**
 * A pair's data at one target fraction, as every experiment prepares it: BIO tags, the shared types,
 * digits normalised; character-level corpora (Chinese) neither lowercased nor given a char encoder
 * (under `auto`), word-level ones both.
 */
export function preparePair(pair: LoadedPair, fraction: number, charOption: ExperimentSettings['char'] = 'auto'): { corpus: PairCorpus; char: 'cnn' | 'lstm' | 'none'; charLevel: boolean } {
  const charLevel = isCharacterLevelCorpus(pair.target.files.train);
  const char = charOption === 'auto' ? defaultCharEncoder(pair.target.files.train) : charOption;
  const corpus = preparePairCorpus(pair.source.files, pair.target.files, {
    sharedLabels: pair.spec.sharedLabels, fraction, targetOrder: pair.target.order, scheme: 'BIO', chars: char !== 'none',
    minCount: 1, lowercase: !charLevel, normalizeDigits: true,
  });
  return { corpus, char, charLevel };
}

/**
 * What of a protocol changes a run (its name and wording do not: renaming a preset keeps its
 * records; its batch and learning rate are hashed with the training settings they fill in).
 */
function protocolBudget(p: Protocol): Omit<Protocol, 'name' | 'summary' | 'batchSize' | 'learningRate'> {
  return { sourcePasses: p.sourcePasses, pretrainPasses: p.pretrainPasses, evalsPerPass: p.evalsPerPass, patience: p.patience };
}

/**
 * The input limits that change what this column's runs compute: the char encoder's cut of long tokens
 * (MAX_TOKEN_CHARS) where the char encoder is on and some token, counted as the encoder counts it
 * (code points of the normalised token), is longer; and decoding in windows (DECODE_WINDOW) where a
 * dev or test sentence is longer. Both came after runs were stored that they do not affect; hashing them only where they bite
 * keeps those records valid and redoes any other (no split that a shared pair reads reaches either
 * limit; linnaeus's 413-character tokens are in its test split, which no pair reads).
 */
export function inputLimits(corpus: PairCorpus, char: GridColumn['char']): Record<string, number> {
  const { source, target } = corpus.data;
  const all: (readonly Sentence[])[] = [source?.train.sentences ?? [], target.train.sentences, target.dev.sentences, corpus.targetTest.sentences];
  const limits: Record<string, number> = {};
  const chars = corpus.vocab.chars;
  // Measured as the encoder cuts, in code points of the normalised token (which never outnumber the
  // raw token's UTF-16 units: the char vocabulary only maps digits, one for one).
  const cut = (t: string) => t.length > MAX_TOKEN_CHARS && chars !== null && chars.charIds(t).length > MAX_TOKEN_CHARS;
  if (char !== 'none' && all.some((set) => set.some((s) => s.tokens.some(cut)))) limits.tokenChars = MAX_TOKEN_CHARS;
  if ([target.dev.sentences, corpus.targetTest.sentences].some((set) => set.some((s) => s.tokens.length > DECODE_WINDOW))) limits.decodeWindow = DECODE_WINDOW;
  return limits;
}

export function prepareColumn(pair: LoadedPair, fraction: number, s: ExperimentSettings): GridColumn {
  const { corpus, char } = preparePair(pair, fraction, s.char);
  const config: TaggerConfig = {
    encoder: { wordVocabularySize: corpus.vocab.words.size, wordDim: s.model.wordDim, char, charVocabularySize: corpus.vocab.chars?.size ?? 0, charDim: 30, charSize: 50, hidden: s.model.hidden, dropout: s.model.dropout },
    labels: [...corpus.vocab.labels.tags], scheme: 'BIO', constrained: true, boundary: true,
  };
  // What the runs are trained and scored on (label maps, the target subset, every sentence), the model,
  // the training settings and the trainer's version. Without a protocol this is the hash of the
  // records of trainer version 3 grids made before protocols existed, so they stay valid.
  let training: Record<string, unknown> = s.training;
  if (s.protocol) {
    const { epochs: _e, pretrainEpochs: _p, patience: _pa, evalEvery: _ev, ...rest } = s.training;
    training = rest;
  }
  const limits = inputLimits(corpus, char);
  const hashed = {
    config, training, counts: corpus.counts, data: pairDataHash(pair, fraction), trainer: TRAINER_VERSION,
    ...(s.protocol ? { protocol: protocolBudget(s.protocol) } : {}), ...(Object.keys(limits).length ? { limits } : {}),
  };
  const configHash = crc32Hex(crc32(new TextEncoder().encode(JSON.stringify(hashed))));
  return { pair, fraction, corpus, config, char, configHash };
}

/** CRC-32 of everything a run's data depends on: label maps, the fraction, the order and every sentence. */
export function pairDataHash(pair: LoadedPair, fraction: number): string {
  const { spec } = pair, source = pair.source.files, target = pair.target.files;
  const enc = new TextEncoder();
  let crc = crc32(enc.encode(JSON.stringify([spec.sharedLabels, source.labelMap, target.labelMap, fraction, pair.target.order])));
  for (const split of [source.train, target.train, target.dev ?? [], target.test ?? []]) {
    for (const s of split) crc = crc32(enc.encode(`${s.tokens.join('\u0001')}\u0002${s.tags.join('\u0001')}\u0003`), crc);
  }
  return crc32Hex(crc);
}
