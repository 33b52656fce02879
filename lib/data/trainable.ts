/**
 * Checks that a corpus can do the job it is given, before any training starts: a training set needs
 * sentences and at least one entity (a tagger trained on O alone tags nothing, and an empty set would
 * train nothing and save an untrained model); a dev or test set needs sentences. The error names the
 * file, so an empty train file is never blamed on the dev file.
 */
import { CorpusError } from './corpusError.ts';
import type { Sentence } from './conll.ts';

export function requireSentences(sentences: readonly Sentence[], file: string, role: string): void {
  if (sentences.length === 0) throw new CorpusError(file, null, `the ${role} set has no sentences`);
}

export function requireEntities(sentences: readonly Sentence[], file: string, role: string): void {
  requireSentences(sentences, file, role);
  if (!sentences.some((s) => s.tags.some((t) => t !== 'O'))) {
    throw new CorpusError(file, null, `the ${role} set has no entity (all ${sentences.reduce((n, s) => n + s.tags.length, 0)} tags are O): there is nothing to learn from`);
  }
}
