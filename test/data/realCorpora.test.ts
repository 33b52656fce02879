/**
 * The parser on the real shared corpora (../shared/data relative to the repository root), checked
 * against the counts in ../shared/data/README.md. Skipped, with a message, when that folder is missing.
 */
import * as assert from 'uvu/assert';
import { test } from 'uvu';
import { convertTags, entitySpans, fewLabelSubset, applyLabelMap, findPair, LabelSet } from '../../lib/data/index.ts';
import { readCorpusFile, readOrderFile, readPairsFile } from '../../lib/data/nodeFiles.ts';
import { dataTest, sharedPath } from './util.ts';

const tokenCount = (ss: { tokens: string[] }[]): number => ss.reduce((n, s) => n + s.tokens.length, 0);

dataTest('zh-ccks2017/course train: 815 sentences, 30,320 characters; 5/10/20% subsets = 41/82/163 sentences', () => {
  const train = readCorpusFile(sharedPath('zh-ccks2017/course/train.tsv'));
  assert.is(train.length, 815);
  assert.is(tokenCount(train), 30320);
  assert.is(train.reduce((n, s) => n + entitySpans(s.tags, 'BIO').length, 0), 2296);
  const order = readOrderFile(sharedPath('zh-ccks2017/course/train.order.txt'), train.length);
  const sizes = [0.05, 0.1, 0.2].map((p) => fewLabelSubset(train, order, p).sentences.length);
  assert.equal(sizes, [41, 82, 163]);
  // README pair table: 10% of the course target holds 262 mentions after the label map.
  const pair = findPair(readPairsFile(sharedPath('pairs.json')), 'zh-history-to-course');
  const mapped = applyLabelMap(train, pair.target.labelMap, 'course/train.tsv');
  const tenth = fewLabelSubset(mapped, order, 0.1).sentences;
  assert.is(tenth.reduce((n, s) => n + entitySpans(s.tags, 'BIO').length, 0), 262);
  const labels = new LabelSet(pair.sharedLabels);
  for (const s of mapped) for (const t of s.tags) labels.id(t); // every mapped tag is a known label
});

dataTest('biomed/ncbi-disease dev: 923 sentences, 23,969 tokens, 787 mentions', () => {
  const dev = readCorpusFile(sharedPath('biomed/ncbi-disease/dev.tsv'));
  assert.is(dev.length, 923);
  assert.is(tokenCount(dev), 23969);
  assert.is(dev.reduce((n, s) => n + entitySpans(s.tags, 'BIO').length, 0), 787);
});

dataTest('conll2003/original/eng.testa (4 columns, IOB1, -DOCSTART- at the end) converts to BIO exactly as conll2003/dev.tsv', () => {
  const testa = readCorpusFile(sharedPath('conll2003/original/eng.testa'), { separator: 'space', tagColumn: 3, scheme: 'IOB1' });
  assert.is(testa.length, 3250);
  assert.is(tokenCount(testa), 51362);
  const dev = readCorpusFile(sharedPath('conll2003/dev.tsv'));
  assert.is(dev.length, 3250);
  for (let i = 0; i < dev.length; i++) {
    assert.equal(testa[i].tokens, dev[i].tokens, `tokens of sentence ${i}`);
    const bio = convertTags(testa[i].tags, 'IOB1', 'BIO');
    if (bio.join(' ') !== dev[i].tags.join(' ')) assert.unreachable(`sentence ${i} (eng.testa line ${testa[i].line}): ${bio.join(' ')} vs ${dev[i].tags.join(' ')}`);
  }
  assert.is(dev.reduce((n, s) => n + entitySpans(s.tags, 'BIO').length, 0), 5942);
});

dataTest('pairs.json parses: 10 pairs, fractions 0.05/0.1/0.2, every corpus folder has the three splits', () => {
  const file = readPairsFile(sharedPath('pairs.json'));
  assert.equal(file.fewLabelFractions, [0.05, 0.1, 0.2]);
  assert.is(file.pairs.length, 10);
  assert.ok(file.pairs.some((p) => p.target.labelMap['Regulon-operon'] === null));
});

test.run();
