/**
 * Helper of the examples: reads a shared transfer pair (pairs.json, the source and target corpora,
 * the target's train order) and prepares it as `ladtl experiment` does, keeping `fraction` of the
 * target's labelled sentences. Character-level corpora (Chinese) get no char encoder and no
 * lowercasing; word-level ones both.
 */
import { readCorpusFile, readOrderFile, readPairsFile } from '../lib/data/nodeFiles.ts';
import { preparePairCorpus } from '../lib/train/index.ts';
import { isCharacterLevelCorpus } from '../lib/data/index.ts';

export function loadPairCorpus(pairId: string, dataDir: string, fraction = 0.1) {
  const spec = readPairsFile(`${dataDir}/pairs.json`).pairs.find((p) => p.id === pairId);
  if (!spec) throw new Error(`no pair ${pairId} in ${dataDir}/pairs.json`);
  const read = (c: string) => ({ name: c, train: readCorpusFile(`${dataDir}/${c}/train.tsv`), dev: readCorpusFile(`${dataDir}/${c}/dev.tsv`), test: readCorpusFile(`${dataDir}/${c}/test.tsv`) });
  const source = read(spec.source.corpus), target = read(spec.target.corpus);
  const charLevel = isCharacterLevelCorpus(target.train);
  const corpus = preparePairCorpus({ ...source, labelMap: spec.source.labelMap }, { ...target, labelMap: spec.target.labelMap }, {
    sharedLabels: spec.sharedLabels, fraction, targetOrder: readOrderFile(`${dataDir}/${spec.target.corpus}/train.order.txt`, target.train.length),
    scheme: 'BIO', chars: !charLevel, minCount: 1, lowercase: !charLevel, normalizeDigits: true,
  });
  return { corpus, charLevel };
}
