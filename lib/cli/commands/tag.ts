/**
 * `ladtl tag`: tag text with a model. Input is one tokenised sentence per line (tokens separated by
 * spaces; for a character-level model such as the Chinese ones, each line is split into characters),
 * or a CoNLL file (`--input-format conll`, first column = token). Output is CoNLL (token TAB tag) or
 * JSON lines of entities.
 */
import { readFileSync } from 'node:fs';
import { readModelBytes } from '../../io/nodeFiles.ts';
import { decodeTagger } from '../../io/index.ts';
import { parseConll, encodeSentence, entitySpans, decodeUtf8, isCharacterLevelVocabulary, type Sentence } from '../../data/index.ts';
import { predictTags } from '../../train/index.ts';
import type { OptionSpec } from '../args.ts';
import { defineCommand } from '../command.ts';

const SPECS: Record<string, OptionSpec> = {
  model: { type: 'string', required: true, value: 'MODEL', help: 'model file written by ladtl train' },
  input: { type: 'string', value: 'FILE', help: 'text to tag (default: standard input)' },
  'input-format': { type: 'string', value: 'lines|conll', help: 'one sentence per line, or CoNLL columns', default: 'lines' },
  split: { type: 'string', value: 'auto|spaces|chars', help: 'how a line becomes tokens; auto: characters for a character-level model', default: 'auto' },
  format: { type: 'string', value: 'conll|json', help: 'output format', default: 'conll' },
};

export const tagCommand = defineCommand('tag', SPECS, (o) => {
    const modelPath = o.string('model');
    const { tagger, vocab } = decodeTagger(readModelBytes(modelPath), modelPath);
    const inputPath = o.optionalString('input');
    const source = inputPath ?? '<stdin>';
    const text = decodeUtf8(readFileSync(inputPath ?? 0), source);
    let sentences: Sentence[];
    if (o.choice('input-format', ['lines', 'conll'] as const) === 'conll') {
      // Only the tokens are used; a tag column, if present, must still be well-formed.
      sentences = parseConll(text, { file: source, tagColumn: undefined }).map((s) => ({ ...s, tags: s.tokens.map(() => 'O') }));
    } else {
      const split = o.choice('split', ['auto', 'spaces', 'chars'] as const);
      const chars = split === 'chars' || (split === 'auto' && isCharacterLevelVocabulary(vocab.words));
      sentences = [];
      text.split('\n').forEach((raw, i) => {
        const line = raw.replace(/\r$/, '');
        const tokens = chars ? Array.from(line).filter((c) => !/\s/u.test(c)) : line.split(/\s+/u).filter((t) => t !== '');
        if (tokens.length > 0) sentences.push({ tokens, tags: tokens.map(() => 'O'), line: i + 1 });
      });
    }
    const encoded = sentences.map((s) => encodeSentence(s, vocab.words, vocab.chars, vocab.labels));
    const tags = encoded.length ? predictTags(tagger, encoded, vocab.labels) : [];
    const json = o.choice('format', ['conll', 'json'] as const) === 'json';
    const out: string[] = [];
    sentences.forEach((s, i) => {
      if (json) {
        const entities = entitySpans(tags[i], vocab.labels.scheme).map((e) => ({ type: e.type, start: e.start, end: e.end, text: s.tokens.slice(e.start, e.end).join(' ') }));
        out.push(JSON.stringify({ line: s.line, tokens: s.tokens, entities }));
      } else {
        s.tokens.forEach((t, j) => out.push(`${t}\t${tags[i][j]}`));
        out.push('');
      }
    });
    process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
    return 0;
});
