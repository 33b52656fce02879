/** pairs.json parsing with field-naming errors, and label maps (null -> O, merges, missing types). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parsePairs, findPair, applyLabelMap, parseConll, entitySpans, type Sentence } from '../../lib/data/index.ts';
import { assertThrowsWith } from '../helpers/assert.ts';
import { throwsCorpusError } from './util.ts';

const P = 'pairs.json';

function pairsJson(edit: (root: any) => void = () => {}): string {
  const root = {
    format: 'ignored',
    fewLabelFractions: [0.05, 0.1, 0.2],
    pairs: [
      {
        id: 'multi', group: 'biomedical',
        source: { corpus: 'biomed/bionlp13cg', labelMap: { Gene_or_gene_product: 'GGP', Simple_chemical: 'Chemical', Cell: null } },
        target: { corpus: 'biomed/bionlp11id', labelMap: { Protein: 'GGP', Chemical: 'Chemical', 'Regulon-operon': null } },
        sharedLabels: ['GGP', 'Chemical'],
        notes: 'n',
      },
      {
        id: 'disease',
        source: { corpus: 'a', labelMap: { Disease: 'Disease' } },
        target: { corpus: 'b', labelMap: { Disease: 'Disease' } },
        sharedLabels: ['Disease'],
      },
    ],
  };
  edit(root);
  return JSON.stringify(root);
}

test('parsePairs reads fractions, pairs, label maps; optional fields default to null', () => {
  const f = parsePairs(pairsJson(), P);
  assert.equal(f.fewLabelFractions, [0.05, 0.1, 0.2]);
  assert.equal(f.pairs.map((p) => p.id), ['multi', 'disease']);
  const multi = findPair(f, 'multi');
  assert.is(multi.group, 'biomedical');
  assert.is(multi.source.corpus, 'biomed/bionlp13cg');
  assert.equal({ ...multi.target.labelMap }, { Protein: 'GGP', Chemical: 'Chemical', 'Regulon-operon': null });
  assert.equal(multi.sharedLabels, ['GGP', 'Chemical']);
  const disease = findPair(f.pairs, 'disease');
  assert.is(disease.group, null);
  assert.is(disease.notes, null);
  assertThrowsWith(() => findPair(f, 'nope'), 'unknown pair "nope"', 'multi, disease');
});

test('parsePairs errors name the file, the pair id and the field', () => {
  throwsCorpusError(() => parsePairs('{ "pairs": [', P), P, null, 'invalid JSON');
  throwsCorpusError(() => parsePairs('[]', P), P, null, 'top level', 'expected an object');
  throwsCorpusError(() => parsePairs(pairsJson((r) => { r.fewLabelFractions = [0.1, 1.5]; }), P), P, null, 'fewLabelFractions[1]', '(0, 1]');
  throwsCorpusError(() => parsePairs(pairsJson((r) => { r.fewLabelFractions = [0.1, 0.1]; }), P), P, null, 'fewLabelFractions[1]', 'twice');
  throwsCorpusError(() => parsePairs(pairsJson((r) => { delete r.fewLabelFractions; }), P), P, null, 'fewLabelFractions', 'expected an array');
  throwsCorpusError(() => parsePairs(pairsJson((r) => { r.pairs = []; }), P), P, null, 'pairs', 'non-empty');
  throwsCorpusError(() => parsePairs(pairsJson((r) => { delete r.pairs[1].id; }), P), P, null, 'pairs[1].id', 'non-empty string');
  throwsCorpusError(() => parsePairs(pairsJson((r) => { r.pairs[1].id = 'multi'; }), P), P, null, 'pair "multi": id', 'earlier pair');
  throwsCorpusError(() => parsePairs(pairsJson((r) => { r.pairs[0].target.labelMap.Protein = 3; }), P), P, null,
    'pair "multi": target.labelMap.Protein', 'expected a type name or null', 'number 3');
  throwsCorpusError(() => parsePairs(pairsJson((r) => { r.pairs[0].source.labelMap.Cell = 'Cell'; }), P), P, null,
    'pair "multi": source.labelMap.Cell', 'not in sharedLabels');
  throwsCorpusError(() => parsePairs(pairsJson((r) => { r.pairs[0].target.labelMap.Chemical = null; }), P), P, null,
    'pair "multi": target.labelMap', 'no type maps to the shared label "Chemical"');
  throwsCorpusError(() => parsePairs(pairsJson((r) => { r.pairs[1].source.corpus = ''; }), P), P, null, 'pair "disease": source.corpus');
  throwsCorpusError(() => parsePairs(pairsJson((r) => { delete r.pairs[1].target; }), P), P, null, 'pair "disease": target', 'expected an object');
  throwsCorpusError(() => parsePairs(pairsJson((r) => { r.pairs[1].sharedLabels = ['Disease', 'Disease']; }), P), P, null, 'sharedLabels[1]', 'twice');
  throwsCorpusError(() => parsePairs(pairsJson((r) => { r.pairs[1].notes = 7; }), P), P, null, 'pair "disease": notes');
});

const F = 'bionlp11id/train.tsv';
const text = [
  'IL-2\tB-Protein', 'gene\tI-Protein', 'in\tO', 'E.\tB-Organism', 'coli\tI-Organism', '',
  'lac\tB-Regulon-operon', 'operon\tI-Regulon-operon', 'and\tO', 'iron\tB-Chemical', '',
].join('\n');

test('applyLabelMap renames types, turns null types into O (B and I), keeps tokens and lines, does not mutate', () => {
  const input = parseConll(text, { file: F });
  const before = JSON.stringify(input);
  const out = applyLabelMap(input, { Protein: 'GGP', Organism: 'Organism', Chemical: 'Chemical', 'Regulon-operon': null }, F);
  assert.equal(out.map((s) => s.tags), [
    ['B-GGP', 'I-GGP', 'O', 'B-Organism', 'I-Organism'],
    ['O', 'O', 'O', 'B-Chemical'],
  ]);
  assert.equal(out.map((s) => s.tokens), input.map((s) => s.tokens));
  assert.equal(out.map((s) => s.line), [1, 7]);
  assert.is(JSON.stringify(input), before);
});

test('a type missing from the map is an error naming the type, the file and the token line', () => {
  const input = parseConll(text, { file: F });
  throwsCorpusError(() => applyLabelMap(input, { Protein: 'GGP', Organism: null, Chemical: 'Chemical' }, F), F, 7,
    'entity type "Regulon-operon"', 'tag "B-Regulon-operon"', 'Protein, Organism, Chemical');
  // Only own properties count: a type spelled like an Object.prototype member is still missing.
  const weird: Sentence[] = [{ tokens: ['x'], tags: ['B-constructor'], line: 4 }];
  throwsCorpusError(() => applyLabelMap(weird, { A: 'A' }, F), F, 4, 'entity type "constructor"');
});

test('merging two types keeps adjacent entities apart (BIO, BIOES and IOB1 input)', () => {
  const map = { Complex: 'GGP', Gene_or_gene_product: 'GGP' };
  const bio: Sentence[] = [{ tokens: ['a', 'b', 'c', 'd'], tags: ['B-Complex', 'I-Complex', 'B-Gene_or_gene_product', 'O'], line: 1 }];
  const out = applyLabelMap(bio, map, F);
  assert.equal(out[0].tags, ['B-GGP', 'I-GGP', 'B-GGP', 'O']);
  assert.is(entitySpans(out[0].tags, 'BIO').length, 2);
  const bioes: Sentence[] = [{ tokens: ['a', 'b', 'c'], tags: ['B-Complex', 'E-Complex', 'S-Gene_or_gene_product'], line: 1 }];
  assert.equal(applyLabelMap(bioes, map, F, 'BIOES')[0].tags, ['B-GGP', 'E-GGP', 'S-GGP']);
  // In IOB1 a type change starts an entity without B-; mapped naively it would merge into one entity.
  const iob1: Sentence[] = [{ tokens: ['a', 'b', 'c'], tags: ['I-Complex', 'I-Complex', 'I-Gene_or_gene_product'], line: 1 }];
  const mapped = applyLabelMap(iob1, map, F, 'IOB1');
  assert.equal(mapped[0].tags, ['I-GGP', 'I-GGP', 'B-GGP']);
  assert.is(entitySpans(mapped[0].tags, 'IOB1').length, 2);
});

test('applyLabelMap validates the input scheme at file:line', () => {
  const bad: Sentence[] = [{ tokens: ['a', 'b'], tags: ['O', 'I-Protein'], line: 20 }];
  throwsCorpusError(() => applyLabelMap(bad, { Protein: 'GGP' }, F), F, 21, '"I-Protein" after "O"');
});

test.run();
