/**
 * Node helper: a transfer pair read from disk. Either a pair of the pairs file
 * (`../shared/data/pairs.json` format: source and target corpus folders with their label maps) or two
 * corpus folders given directly, whose shared entity types are then the types both have. Each side's
 * train order (`train.order.txt`, the few-label protocol) is read with it.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readCorpusFile, readPairsFile, readOrderFile } from '../data/nodeFiles.ts';
import { type Sentence, type LabelMap, seededOrder, splitTag } from '../data/index.ts';
import { Rng } from '../tensor/index.ts';
import type { CorpusFiles, LoadedPair, PairSide } from './pairCorpus.ts';


/** `$LADTL_DATA`, else `../shared/data`. */
export function defaultDataDir(): string {
  return resolve(process.env.LADTL_DATA ?? '../shared/data');
}

/** The seed of the order given to a corpus without train.order.txt (reported, so that the subset can be reproduced). */
export const FALLBACK_ORDER_SEED = 12345;

function readSide(dir: string, name: string, labelMap: LabelMap, withSplits: boolean, log: (line: string) => void): PairSide {
  const train = readCorpusFile(join(dir, 'train.tsv'));
  const files: CorpusFiles = {
    name, train, labelMap,
    dev: withSplits ? readCorpusFile(join(dir, 'dev.tsv')) : undefined,
    test: withSplits ? readCorpusFile(join(dir, 'test.tsv')) : undefined,
  };
  const orderPath = join(dir, 'train.order.txt');
  const order = existsSync(orderPath) ? readOrderFile(orderPath, train.length) : seededOrder(train.length, new Rng(FALLBACK_ORDER_SEED));
  if (!existsSync(orderPath) && withSplits) log(`${name}: no train.order.txt, using a seeded order (seed ${FALLBACK_ORDER_SEED})`);
  return { files, order };
}

function typesIn(sentences: readonly Sentence[]): Set<string> {
  const out = new Set<string>();
  for (const s of sentences) for (const t of s.tags) if (t !== 'O') out.add(splitTag(t).type);
  return out;
}

/** Pairs `ids` of the pairs file at `pairsPath` (corpus folders are relative to it). */
export function loadPairs(pairsPath: string, ids: readonly string[], log: (line: string) => void = () => {}): LoadedPair[] {
  const file = readPairsFile(pairsPath);
  const base = dirname(pairsPath);
  return ids.map((raw) => {
    const id = raw.trim();
    const spec = file.pairs.find((p) => p.id === id);
    if (!spec) throw new Error(`no pair "${id}" in ${pairsPath}; known: ${file.pairs.map((p) => p.id).join(', ')}`);
    return {
      spec,
      source: readSide(join(base, spec.source.corpus), spec.source.corpus, spec.source.labelMap, false, log),
      target: readSide(join(base, spec.target.corpus), spec.target.corpus, spec.target.labelMap, true, log),
    };
  });
}

/** A pair from two folders: the types both corpora have are shared, the others become O. */
export function adHocPair(sourceDir: string, targetDir: string, log: (line: string) => void = () => {}): LoadedPair {
  const source = readSide(sourceDir, sourceDir, {}, false, log), target = readSide(targetDir, targetDir, {}, true, log);
  const ts = typesIn(source.files.train), tt = typesIn(target.files.train);
  const shared = [...ts].filter((t) => tt.has(t)).sort();
  if (shared.length === 0) throw new Error(`${sourceDir} and ${targetDir} share no entity type (source: ${[...ts].join(', ')}; target: ${[...tt].join(', ')})`);
  const map = (types: Set<string>): LabelMap => Object.fromEntries([...types].map((t) => [t, shared.includes(t) ? t : null]));
  source.files.labelMap = map(ts);
  target.files.labelMap = map(tt);
  const id = `${sourceDir.split('/').filter(Boolean).pop()}-to-${targetDir.split('/').filter(Boolean).pop()}`;
  return { spec: { id, group: null, source: { corpus: sourceDir, labelMap: source.files.labelMap }, target: { corpus: targetDir, labelMap: target.files.labelMap }, sharedLabels: shared, notes: null }, source, target };
}
