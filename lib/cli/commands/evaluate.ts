/**
 * `ladtl eval`: score a model on a corpus, conlleval-style. The corpus is streamed (a chunk of
 * sentences at a time, nodeFiles.ts `streamCorpusFile`), so memory stays bounded whatever its size;
 * a sentence's tags do not depend on the batch it is decoded in, so the scores are those of
 * decoding the whole file at once.
 */
import { readModelBytes } from '../../io/nodeFiles.ts';
import { decodeTagger } from '../../io/index.ts';
import { streamCorpusFile } from '../../data/nodeFiles.ts';
import { longTokenCount, type Sentence } from '../../data/index.ts';
import { encodeAll, predictTags, withScheme } from '../../train/index.ts';
import { formatConllevalReport, SentenceScorer } from '../../eval/index.ts';
import type { OptionSpec } from '../args.ts';
import { defineCommand } from '../command.ts';
import { CORPUS_OPTIONS, corpusReadOptions, longTokenNote } from '../corpus.ts';

const SPECS: Record<string, OptionSpec> = {
  model: { type: 'string', required: true, value: 'MODEL', help: 'model file written by ladtl train' },
  test: { type: 'string', required: true, value: 'FILE', help: 'corpus to score (CoNLL columns)' },
  ...CORPUS_OPTIONS,
};

/** Sentences decoded per chunk of the stream (decoding batches are made within a chunk). */
const CHUNK_SENTENCES = 4096;

export const evalCommand = defineCommand('eval', SPECS, (o) => {
  const modelPath = o.string('model'), testPath = o.string('test');
  const { tagger, vocab } = decodeTagger(readModelBytes(modelPath), modelPath);
  const read = corpusReadOptions(o);
  const scorer = new SentenceScorer({ rules: vocab.labels.scheme === 'BIOES' ? 'iobes' : 'conlleval' });
  let long = 0;
  let chunk: Sentence[] = [];
  const score = (): void => {
    const gold = withScheme(chunk, read.scheme, vocab.labels.scheme);
    chunk = [];
    let encoded;
    try {
      encoded = encodeAll(gold, vocab);
    } catch (e) {
      throw new Error(`${testPath}: ${(e as Error).message} (model ${modelPath} knows ${vocab.labels.tags.join(' ')})`);
    }
    if (vocab.chars) long += longTokenCount(gold.map((s) => s.tokens));
    const guesses = predictTags(tagger, encoded, vocab.labels);
    gold.forEach((s, i) => scorer.add({ gold: s.tags, guess: guesses[i] }));
  };
  for (const sentence of streamCorpusFile(testPath, { file: testPath, scheme: read.scheme, tagColumn: read.tagColumn, separator: read.separator })) {
    chunk.push(sentence);
    if (chunk.length >= CHUNK_SENTENCES) score();
  }
  if (chunk.length > 0) score();
  const note = longTokenNote(testPath, long);
  if (note) console.error(note);
  process.stdout.write(formatConllevalReport(scorer.finish()));
  return 0;
});
