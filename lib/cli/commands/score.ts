/**
 * `ladtl score`: scores a prediction file as conlleval.pl does, for people comparing systems. Input
 * is conlleval's: one token per line, columns separated by white space, the gold tag in the
 * second-to-last column and the predicted tag in the last, blank lines between sentences.
 * Output is conlleval's report, byte for byte (lib/eval/conlleval.ts, tested against its numbers);
 * `--format json` gives the same scores as one JSON object.
 */
import { readFileSync } from 'node:fs';
import { decodeUtf8 } from '../../data/index.ts';
import { evaluateSentences, formatConllevalReport, parseConllevalInput } from '../../eval/index.ts';
import type { OptionSpec } from '../args.ts';
import { defineCommand } from '../command.ts';

const SPECS: Record<string, OptionSpec> = {
  input: { type: 'string', value: 'FILE', help: 'prediction file: token … gold predicted (default: standard input)' },
  docstart: { type: 'string', value: 'token|boundary', help: "-DOCSTART- lines: a token (conlleval.pl) or a document break", default: 'token' },
  rules: { type: 'string', value: 'conlleval|iobes', help: "chunk rules: conlleval.pl's own, or strict IOBES (S- and E- end chunks)", default: 'conlleval' },
  format: { type: 'string', value: 'text|json', help: "conlleval's report, or the scores as JSON", default: 'text' },
};

export const scoreCommand = defineCommand('score', SPECS, (o) => {
  const path = o.optionalString('input');
  const source = path ?? '<stdin>';
  const sentences = parseConllevalInput(decodeUtf8(readFileSync(path ?? 0), source), source, { docstart: o.choice('docstart', ['token', 'boundary'] as const) });
  const result = evaluateSentences(sentences, { rules: o.choice('rules', ['conlleval', 'iobes'] as const) });
  process.stdout.write(o.choice('format', ['text', 'json'] as const) === 'json' ? JSON.stringify(result) + '\n' : formatConllevalReport(result));
  return 0;
}, { backendOption: false });
