/** `ladtl eval`: score a model on a corpus, conlleval-style. */
import { readModelBytes } from '../../io/nodeFiles.ts';
import { decodeTagger } from '../../io/index.ts';
import { encodeAll, evaluateTagger } from '../../train/index.ts';
import { formatConllevalReport } from '../../eval/index.ts';
import type { OptionSpec } from '../args.ts';
import { defineCommand } from '../command.ts';
import { CORPUS_OPTIONS, corpusReadOptions, readCorpus, noteLongTokens } from '../corpus.ts';

const SPECS: Record<string, OptionSpec> = {
  model: { type: 'string', required: true, value: 'MODEL', help: 'model file written by ladtl train' },
  test: { type: 'string', required: true, value: 'FILE', help: 'corpus to score (CoNLL columns)' },
  ...CORPUS_OPTIONS,
};

export const evalCommand = defineCommand('eval', SPECS, (o) => {
    const modelPath = o.string('model'), testPath = o.string('test');
    const { tagger, vocab } = decodeTagger(readModelBytes(modelPath), modelPath);
    const test = readCorpus(testPath, corpusReadOptions(o), vocab.labels.scheme);
    noteLongTokens(testPath, test, vocab.chars !== null);
    let encoded;
    try {
      encoded = encodeAll(test, vocab);
    } catch (e) {
      throw new Error(`${testPath}: ${(e as Error).message} (model ${modelPath} knows ${vocab.labels.tags.join(' ')})`);
    }
    process.stdout.write(formatConllevalReport(evaluateTagger(tagger, test, encoded, vocab)));
    return 0;
});
