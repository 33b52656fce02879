/**
 * The embedding API: a trained model in, entities out, in any JavaScript runtime (browser page, web
 * worker, Node): no file system, no `process`, no Buffer. The model is the file `ladtl train` writes.
 *
 *   const ner = await NerTagger.load('/models/weibo.ladtl');      // or bytes: Uint8Array | ArrayBuffer
 *   ner.tag('患者诉头痛三天');                                     // text: tokenised by the model's rule
 *   ner.tag(['the', 'patient', 'has', 'breast', 'cancer']);       // or tokens you made yourself
 *
 * Each entity has its type, its character offsets in the text (token offsets as well), its text, and
 * a confidence: the mean, over the entity's tokens, of the CRF marginal probability p(y_t = ŷ_t | x)
 * of the tag the Viterbi path gave that token (forward-backward, paper E2–E5). 1 means the model
 * puts all its probability on this labelling of every token of the span.
 */
import { collate, encodeSentence, entitySpans, isCharacterLevelVocabulary, tokenWindows, DECODE_WINDOW } from '../data/index.ts';
import type { NBestPaths } from '../nn/index.ts';
import { decodeTagger, type LoadedTagger } from '../io/index.ts';
import { noGrad } from '../autodiff/index.ts';
import { tokenizeText, type TextToken, type TokenizeMode } from './tokenize.ts';

export interface TaggedEntity {
  type: string;
  /** Character offsets in the text (for token input: in the tokens joined by single spaces). */
  start: number;
  end: number;
  text: string;
  /** Token offsets [tokenStart, tokenEnd). */
  tokenStart: number;
  tokenEnd: number;
  confidence: number;
}

export interface TagResult {
  tokens: TextToken[];
  /** The model's tag for every token, in the model's scheme (the Viterbi path). */
  tags: string[];
  entities: TaggedEntity[];
  /** With `nbest: k`: the k most probable labellings, best first (the first is `tags`). */
  nbest?: NBestLabelling[];
}

/** One of the k best labellings of a text (k-best Viterbi under the model's tag constraints). */
export interface NBestLabelling {
  tags: string[];
  entities: TaggedEntity[];
  /** p(tags | text) under the CRF (paper E2–E3). */
  probability: number;
}

export interface TagOptions {
  /**
   * Also return the k most probable tag sequences with their probabilities (`nbest` of the result).
   * Fewer come back when the sentence has fewer labellings allowed by the tag scheme.
   */
  nbest?: number;
  /** How text inputs become tokens; default {@link NerTagger.tokenizeMode}. */
  tokenize?: TokenizeMode;
  /** Sentences per forward pass (default 32). */
  batchSize?: number;
}

export class NerTagger {
  /** How text is split: `chars` for a character-level model, `words` otherwise. */
  readonly tokenizeMode: TokenizeMode;

  constructor(readonly model: LoadedTagger) {
    this.tokenizeMode = isCharacterLevelVocabulary(model.vocab.words) ? 'chars' : 'words';
  }

  /** Loads a model from its bytes, or fetches it from a URL first (`fetch` must exist). */
  static async load(source: Uint8Array | ArrayBuffer | string): Promise<NerTagger> {
    if (typeof source === 'string') {
      const response = await fetch(source);
      if (!response.ok) throw new Error(`NerTagger.load: ${source}: HTTP ${response.status} ${response.statusText}`);
      return new NerTagger(decodeTagger(new Uint8Array(await response.arrayBuffer()), source));
    }
    return new NerTagger(decodeTagger(source));
  }

  /** Synchronous form of {@link NerTagger.load} for bytes already in memory. */
  static fromBytes(bytes: Uint8Array | ArrayBuffer, source = '<bytes>'): NerTagger {
    return new NerTagger(decodeTagger(bytes, source));
  }

  /** The entity types the model knows (from its label set). */
  get entityTypes(): string[] {
    const types = new Set<string>();
    for (const tag of this.model.vocab.labels.tags) if (tag !== 'O') types.add(tag.slice(2));
    return [...types];
  }

  /** Tags one text (tokenised by {@link tokenizeMode}) or one list of tokens. */
  tag(input: string | readonly string[], options: TagOptions = {}): TagResult {
    return this.tagMany([input], options)[0];
  }

  /** Tags several inputs in batches (faster than one call each). */
  tagMany(inputs: readonly (string | readonly string[])[], options: TagOptions = {}): TagResult[] {
    const { nbest, batchSize = 32 } = options;
    const mode = options.tokenize ?? this.tokenizeMode;
    if (nbest !== undefined && !(Number.isInteger(nbest) && nbest >= 1)) throw new Error(`NerTagger.tag: nbest must be a positive integer, got ${nbest}`);
    const tokenized = inputs.map((input) => (typeof input === 'string' ? tokenizeText(input, mode) : tokensOf(input)));
    const results: TagResult[] = tokenized.map((tokens) => ({ tokens, tags: [], entities: [] }));
    const { tagger, vocab } = this.model;
    const K = vocab.labels.size;
    // Inputs longer than DECODE_WINDOW tokens are decoded in windows and joined (batching.ts), so
    // memory stays bounded; per input: the Viterbi tag ids and every position's marginals.
    const pieces: { index: number; start: number; end: number }[] = [];
    tokenized.forEach((tokens, index) => {
      const windows = tokenWindows(tokens.length);
      if (nbest !== undefined && windows.length > 1) {
        throw new Error(`NerTagger.tag: nbest needs the whole input in one window; input ${index} has ${tokens.length} tokens, more than ${DECODE_WINDOW}`);
      }
      for (const [start, end] of windows) pieces.push({ index, start, end });
    });
    const tagIdsOf = tokenized.map((tokens) => new Int32Array(tokens.length));
    const marginalsOf = tokenized.map((tokens) => new Float32Array(tokens.length * K));
    const kBestOf: (NBestPaths & { row: number })[] = [];
    for (let at = 0; at < pieces.length; at += batchSize) {
      const chunk = pieces.slice(at, at + batchSize);
      const encoded = chunk.map(({ index, start, end }) => {
        const tokens = tokenized[index].slice(start, end).map((t) => t.text);
        return encodeSentence({ tokens, tags: tokens.map(() => 'O'), line: index + 1 }, vocab.words, vocab.chars, vocab.labels);
      });
      const batch = collate(encoded, encoded.map((_, k) => k));
      const { ids, marginals, kBest } = noGrad(() => {
        const h = tagger.encoder.forward(batch, false);
        return {
          ids: tagger.crf.decode(h, batch.lengths),
          marginals: tagger.crf.marginals(h, batch.lengths).values(),
          kBest: nbest === undefined ? null : tagger.crf.decodeNBest(h, batch.lengths, nbest),
        };
      });
      const T = batch.maxLen;
      chunk.forEach(({ index, start, end }, r) => {
        tagIdsOf[index].set(ids.subarray(r * T, r * T + end - start), start);
        marginalsOf[index].set(marginals.subarray(r * T * K, (r * T + end - start) * K), start * K);
        if (kBest) kBestOf[index] = { ...kBest, row: r };
      });
    }
    tokenized.forEach((tokens, index) => {
      if (tokens.length === 0) return;
      const input = inputs[index];
      const source = typeof input === 'string' ? input : tokens.map((t) => t.text).join(' ');
      const marginals = marginalsOf[index];
      // Entities of a labelling; confidence = mean marginal p(y_t = ŷ_t | x) over the entity's tokens.
      const label = (tagIds: ArrayLike<number>): { tags: string[]; entities: TaggedEntity[] } => {
        const tags = Array.from(tagIds, (id) => vocab.labels.tag(id));
        const entities = entitySpans(tags, vocab.labels.scheme).map((span) => {
          let p = 0;
          for (let t = span.start; t < span.end; t++) p += marginals[t * K + tagIds[t]];
          const start = tokens[span.start].start, end = tokens[span.end - 1].end;
          return { type: span.type, start, end, text: source.slice(start, end), tokenStart: span.start, tokenEnd: span.end, confidence: p / (span.end - span.start) };
        });
        return { tags, entities };
      };
      const result: TagResult = { tokens, ...label(tagIdsOf[index]) };
      const kBest = kBestOf[index];
      if (kBest) {
        result.nbest = [];
        for (let p = 0; p < kBest.counts[kBest.row]; p++) {
          const row = (kBest.row * kBest.k + p) * kBest.T;
          result.nbest.push({ ...label(kBest.paths.subarray(row, row + tokens.length)), probability: kBest.probabilities[kBest.row * kBest.k + p] });
        }
      }
      results[index] = result;
    });
    return results;
  }
}

/** Offsets for caller-made tokens: as if joined by single spaces. */
function tokensOf(tokens: readonly string[]): TextToken[] {
  const out: TextToken[] = [];
  let at = 0;
  for (const text of tokens) {
    if (text === '' || /\p{White_Space}/u.test(text)) throw new Error(`NerTagger.tag: token ${out.length} (${JSON.stringify(text)}) is empty or contains white space`);
    out.push({ text, start: at, end: at + text.length });
    at += text.length + 1;
  }
  return out;
}
