/**
 * Helper of the examples: reads a shared transfer pair (pairs.json, the source and target corpora,
 * the target's train order) and prepares it as `ladtl experiment` does, keeping `fraction` of the
 * target's labelled sentences. Character-level corpora (Chinese) get no char encoder and no
 * lowercasing; word-level ones both.
 */
import { loadPairs } from '../lib/experiment/pairFiles.ts';
import { preparePair } from '../lib/experiment/index.ts';

export function loadPairCorpus(pairId: string, dataDir: string, fraction = 0.1) {
  const [pair] = loadPairs(`${dataDir}/pairs.json`, [pairId]);
  const { corpus, charLevel } = preparePair(pair, fraction);
  return { corpus, charLevel };
}
