/**
 * A transfer pair's data, ready for the trainer: label maps applied (types outside the shared set
 * become O), the target's few-label train subset taken from its order, one vocabulary built from
 * source train plus the target subset (the same for every method, so they differ only in how they
 * train), and every split encoded.
 */
import { type Sentence, type PairSpec, type LabelMap, type TagScheme, applyLabelMap, fewLabelSubset, requireEntities, requireSentences } from '../data/index.ts';
import { buildVocab, encodeSplit, withScheme, type TaggerVocab } from '../train/index.ts';
import type { Split, TransferData } from '../train/index.ts';

/** One side's corpus as read from disk (BIO tags, before label mapping). */
export interface CorpusFiles {
  name: string;
  train: Sentence[];
  dev?: Sentence[];
  test?: Sentence[];
  labelMap: LabelMap;
}

/** One side of a pair: its files and the order its train sentences are taken in for few-label subsets. */
export interface PairSide { files: CorpusFiles; order: number[] }

/** A transfer pair as read (pairFiles.ts): its spec and both sides. */
export interface LoadedPair { spec: PairSpec; source: PairSide; target: PairSide }

export interface PairCorpusOptions {
  sharedLabels: readonly string[];
  /** Fraction of target train used (first ceil(p·N) of `targetOrder`). */
  fraction: number;
  targetOrder: readonly number[];
  scheme: TagScheme;
  chars: boolean;
  minCount: number;
  lowercase: boolean;
  normalizeDigits: boolean;
}

export interface PairCorpus {
  vocab: TaggerVocab;
  data: TransferData;
  targetTest: Split;
  counts: { sourceTrain: number; targetTrain: number; targetDev: number; targetTest: number };
}

function mapped(sentences: readonly Sentence[], map: LabelMap, file: string, scheme: TagScheme): Sentence[] {
  return withScheme(applyLabelMap(sentences, map, file), 'BIO', scheme);
}

export function preparePairCorpus(source: CorpusFiles, target: CorpusFiles, o: PairCorpusOptions): PairCorpus {
  if (!target.dev || !target.test) throw new Error(`${target.name}: the target needs dev and test splits`);
  const sourceTrain = mapped(source.train, source.labelMap, `${source.name}/train.tsv`, o.scheme);
  const subset = fewLabelSubset(target.train, o.targetOrder, o.fraction).sentences;
  const targetTrain = mapped(subset, target.labelMap, `${target.name}/train.tsv`, o.scheme);
  const targetDev = mapped(target.dev, target.labelMap, `${target.name}/dev.tsv`, o.scheme);
  const targetTest = mapped(target.test, target.labelMap, `${target.name}/test.tsv`, o.scheme);
  // Every set must be able to do its job (after label mapping: a set whose types all map to O has no entity).
  requireEntities(sourceTrain, `${source.name}/train.tsv`, 'source training');
  requireEntities(targetTrain, `${target.name}/train.tsv`, `target training (the first ${targetTrain.length} sentences of its order at fraction ${o.fraction})`);
  requireSentences(targetDev, `${target.name}/dev.tsv`, 'target dev');
  requireSentences(targetTest, `${target.name}/test.tsv`, 'target test');
  const vocab = buildVocab([...sourceTrain, ...targetTrain], {
    minCount: o.minCount, lowercase: o.lowercase, normalizeDigits: o.normalizeDigits, chars: o.chars, scheme: o.scheme, types: o.sharedLabels,
  });
  const split = (s: Sentence[]): Split => encodeSplit(s, vocab);
  return {
    vocab,
    data: { source: { train: split(sourceTrain) }, target: { train: split(targetTrain), dev: split(targetDev) } },
    targetTest: split(targetTest),
    counts: { sourceTrain: sourceTrain.length, targetTrain: targetTrain.length, targetDev: targetDev.length, targetTest: targetTest.length },
  };
}
