/**
 * A tiny self-written NER corpus for end-to-end tests that must run without the shared corpora:
 * template sentences with slot fillers, so a tagger has to use context and spelling (held-out
 * sentences combine fillers and templates differently from the training ones).
 */
import { Rng } from '../../lib/tensor/index.ts';
import type { Sentence } from '../../lib/data/index.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DISEASES = [['breast', 'cancer'], ['diabetes'], ['acute', 'renal', 'failure'], ['asthma'], ['lung', 'cancer'], ['hepatitis'], ['heart', 'failure'], ['colitis'], ['dermatitis']];
/** Only in held-out sentences: new words that share a suffix with training diseases. */
const NEW_DISEASES = [['arthritis'], ['gastritis'], ['nephritis'], ['colon', 'cancer']];
const DRUGS = [['aspirin'], ['insulin'], ['metformin'], ['ibuprofen'], ['warfarin']];
const TEMPLATES: string[][] = [
  ['the', 'patient', 'has', '<D>', '.'],
  ['she', 'was', 'treated', 'with', '<M>', 'for', '<D>', '.'],
  ['no', 'history', 'of', '<D>', 'was', 'reported', '.'],
  ['<M>', 'was', 'given', 'daily', '.'],
  ['family', 'history', 'of', '<D>', 'and', '<D>', '.'],
  ['he', 'stopped', 'taking', '<M>', 'last', 'week', '.'],
  // The same words outside entities: only the context tells them apart.
  ['treatment', 'failure', 'was', 'noted', '.'],
  ['insulin', 'levels', 'were', 'normal', '.'],
  ['cancer', 'screening', 'was', 'negative', '.'],
];

/**
 * `n` sentences tagged with BIO types Disease and Drug. `heldOut` sentences also use disease names
 * that never occur in training sentences.
 */
export function syntheticSentences(n: number, seed: number, heldOut = false): Sentence[] {
  const rng = new Rng(seed);
  const diseases = heldOut ? [...DISEASES, ...NEW_DISEASES, ...NEW_DISEASES] : DISEASES;
  return Array.from({ length: n }, (_, i) => {
    const tokens: string[] = [], tags: string[] = [];
    for (const slot of TEMPLATES[rng.int(TEMPLATES.length)]) {
      const fill = slot === '<D>' ? ['Disease', diseases[rng.int(diseases.length)]] as const : slot === '<M>' ? ['Drug', DRUGS[rng.int(DRUGS.length)]] as const : null;
      if (!fill) { tokens.push(slot); tags.push('O'); continue; }
      fill[1].forEach((w, j) => { tokens.push(w); tags.push(`${j === 0 ? 'B' : 'I'}-${fill[0]}`); });
    }
    return { tokens, tags, line: 1 + i * 10 };
  });
}

/** The same sentences as CoNLL text (token TAB tag, blank line after each sentence). */
export function toConll(sentences: readonly Sentence[]): string {
  return sentences.map((s) => s.tokens.map((t, i) => `${t}\t${s.tags[i]}\n`).join('') + '\n').join('');
}

/**
 * Source and target corpus folders under `dir` for CLI experiment tests: source/train.tsv and
 * target/{train,dev,test}.tsv of synthetic sentences (`sizes` and `seed`: sentences per file and the
 * first of four consecutive seeds).
 */
export function writePairFolders(dir: string, seed: number, sizes = { source: 40, train: 40, dev: 15, test: 15 }): { source: string; target: string } {
  const source = join(dir, 'source'), target = join(dir, 'target');
  mkdirSync(source, { recursive: true });
  mkdirSync(target, { recursive: true });
  writeFileSync(join(source, 'train.tsv'), toConll(syntheticSentences(sizes.source, seed)));
  writeFileSync(join(target, 'train.tsv'), toConll(syntheticSentences(sizes.train, seed + 1)));
  writeFileSync(join(target, 'dev.tsv'), toConll(syntheticSentences(sizes.dev, seed + 2, true)));
  writeFileSync(join(target, 'test.tsv'), toConll(syntheticSentences(sizes.test, seed + 3, true)));
  return { source, target };
}
