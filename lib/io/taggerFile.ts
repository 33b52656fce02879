/**
 * A trained tagger as one model file: config (the architecture), metadata (vocabularies, label set,
 * training record) and every parameter. Browser-safe: bytes in, tagger out.
 */
import { Vocabulary, LabelSet } from '../data/index.ts';
import { Tagger, type TaggerConfig } from '../nn/index.ts';
import { Rng } from '../tensor/index.ts';
import { encodeModelFile, decodeModelFile } from './modelFile.ts';
import { collectParameters, restoreParameters, assertSameLabels } from './parameters.ts';
import { ModelFileError } from './modelFileError.ts';

export const TAGGER_KIND = 'tagger';

/** Vocabularies and labels a tagger needs (the same shape as lib/train's TaggerVocab). */
export interface TaggerVocabulary {
  words: Vocabulary;
  chars: Vocabulary | null;
  labels: LabelSet;
}

export interface LoadedTagger {
  tagger: Tagger;
  vocab: TaggerVocabulary;
  /** Whatever the trainer recorded (corpus paths, scores, options). */
  training: Record<string, unknown>;
  /**
   * Labelled sentences of the training data kept in the file (`ladtl train --keep-sample`): the
   * model's own domain, which La-DTL fine-tuning uses as its source. Empty when none were kept.
   */
  sample: SampleSentence[];
}

/** A kept training sentence: tokens and tags of equal length. */
export interface SampleSentence {
  tokens: string[];
  tags: string[];
}

function parseSample(raw: unknown, source: string): SampleSentence[] {
  if (raw === undefined) return [];
  const bad = (i: number, why: string) => new ModelFileError(source, 'invalid-contents', `kept sample sentence ${i} ${why}`);
  if (!Array.isArray(raw)) throw new ModelFileError(source, 'invalid-contents', 'the kept sample is not a list of sentences');
  return raw.map((s, i) => {
    const { tokens, tags } = (s ?? {}) as { tokens?: unknown; tags?: unknown };
    if (!Array.isArray(tokens) || !Array.isArray(tags) || !tokens.every((t) => typeof t === 'string') || !tags.every((t) => typeof t === 'string')) throw bad(i, 'needs string lists tokens and tags');
    if (tokens.length === 0 || tokens.length !== tags.length) throw bad(i, `has ${tokens.length} tokens and ${tags.length} tags`);
    return { tokens: tokens as string[], tags: tags as string[] };
  });
}

/** Serialises a tagger with its vocabularies (and, optionally, a sample of its training sentences). */
export function encodeTagger(tagger: Tagger, vocab: TaggerVocabulary, training: Record<string, unknown> = {}, sample: readonly SampleSentence[] = []): Uint8Array {
  assertSameLabels(tagger.config.labels, vocab.labels.tags, 'encodeTagger');
  return encodeModelFile({
    kind: TAGGER_KIND,
    config: tagger.config,
    metadata: { words: vocab.words.toJSON(), chars: vocab.chars?.toJSON() ?? null, labels: vocab.labels.toJSON(), training, ...(sample.length ? { sample: sample.map((s) => ({ tokens: s.tokens, tags: s.tags })) } : {}) },
    tensors: collectParameters(tagger.namedParameters()),
  });
}

/**
 * Rebuilds a tagger from model-file bytes. With `expectedLabels`, a model whose label list differs
 * (missing, extra or reordered labels) is refused with a message listing the differences.
 */
export function decodeTagger(bytes: Uint8Array | ArrayBuffer, source = '<bytes>', expectedLabels?: readonly string[]): LoadedTagger {
  const contents = decodeModelFile(bytes, source);
  if (contents.kind !== TAGGER_KIND) {
    throw new ModelFileError(source, 'invalid-contents', `holds a '${contents.kind}' model, not a '${TAGGER_KIND}'`);
  }
  const config = contents.config as TaggerConfig;
  const meta = contents.metadata as { words: unknown; chars: unknown; labels: unknown; training?: Record<string, unknown>; sample?: unknown };
  let vocab: TaggerVocabulary;
  try {
    vocab = {
      words: Vocabulary.fromJSON(meta.words),
      chars: meta.chars === null ? null : Vocabulary.fromJSON(meta.chars),
      labels: LabelSet.fromJSON(meta.labels),
    };
  } catch (e) {
    throw new ModelFileError(source, 'invalid-contents', `vocabularies or labels are invalid: ${(e as Error).message}`);
  }
  if (!config || !Array.isArray(config.labels) || typeof config.encoder !== 'object') {
    throw new ModelFileError(source, 'invalid-contents', 'config is not a tagger configuration');
  }
  assertSameLabels(vocab.labels.tags, config.labels, source);
  if (expectedLabels) assertSameLabels(expectedLabels, config.labels, source);
  // The seed is irrelevant: every parameter is overwritten from the file.
  const tagger = new Tagger(config, new Rng(0));
  restoreParameters(tagger.namedParameters(), contents.tensors, source);
  return { tagger, vocab, training: meta.training ?? {}, sample: parseSample(meta.sample, source) };
}
