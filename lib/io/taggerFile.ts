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
}

/** Serialises a tagger with its vocabularies. */
export function encodeTagger(tagger: Tagger, vocab: TaggerVocabulary, training: Record<string, unknown> = {}): Uint8Array {
  assertSameLabels(tagger.config.labels, vocab.labels.tags, 'encodeTagger');
  return encodeModelFile({
    kind: TAGGER_KIND,
    config: tagger.config,
    metadata: { words: vocab.words.toJSON(), chars: vocab.chars?.toJSON() ?? null, labels: vocab.labels.toJSON(), training },
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
  const meta = contents.metadata as { words: unknown; chars: unknown; labels: unknown; training?: Record<string, unknown> };
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
  return { tagger, vocab, training: meta.training ?? {} };
}
