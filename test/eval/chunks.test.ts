import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type ChunkRules, chunkSpans, splitTag } from '../../lib/eval/index.ts';

/** Compact form of the spans: "TYPE[start,end]" (end inclusive). */
function spans(tags: string[], rules?: ChunkRules): string[] {
  return chunkSpans(tags, rules ? { rules } : {}).map((s) => `${s.type}[${s.start},${s.end}]`);
}

test('splitTag: first hyphen splits prefix and type; type "0" reads as "" (Perl truthiness)', () => {
  assert.equal(splitTag('B-DRUG-NAME'), { prefix: 'B', type: 'DRUG-NAME' });
  assert.equal(splitTag('O'), { prefix: 'O', type: '' });
  assert.equal(splitTag('B-'), { prefix: 'B', type: '' });
  assert.equal(splitTag('-X'), { prefix: '', type: 'X' });
  assert.equal(splitTag('B-0'), { prefix: 'B', type: '' });
  assert.equal(splitTag('B-00'), { prefix: 'B', type: '00' });
});

test('BIO: B starts, I continues, O ends; chunk at sentence end closes there', () => {
  assert.equal(spans(['B-PER', 'I-PER', 'O', 'B-LOC']), ['PER[0,1]', 'LOC[3,3]']);
  assert.equal(spans(['B-PER', 'B-PER', 'I-PER']), ['PER[0,0]', 'PER[1,2]']);
  assert.equal(spans([]), []);
  assert.equal(spans(['O', 'O']), []);
});

test('IOB1 / sloppy BIO: I after O or after another type starts a chunk', () => {
  assert.equal(spans(['I-PER', 'I-PER', 'B-PER', 'O', 'I-LOC']), ['PER[0,1]', 'PER[2,2]', 'LOC[4,4]']);
  assert.equal(spans(['O', 'I-ORG', 'I-ORG']), ['ORG[1,2]']);
  assert.equal(spans(['B-ORG', 'I-ORG', 'I-LOC']), ['ORG[0,1]', 'LOC[2,2]']);
  assert.equal(spans(['B-LOC', 'I-ORG']), ['LOC[0,0]', 'ORG[1,1]']);
});

test('types with hyphens are kept whole and compared whole', () => {
  assert.equal(spans(['B-DRUG-NAME', 'I-DRUG-NAME', 'I-DRUG-DOSE']), ['DRUG-NAME[0,1]', 'DRUG-DOSE[2,2]']);
});

test('IOE: E ends a chunk, the next I or E starts one', () => {
  // I after O: start; E after I: continue; I after E: end+start; E after E: end+start.
  assert.equal(spans(['I-NP', 'E-NP', 'I-NP', 'E-NP', 'E-NP']), ['NP[0,1]', 'NP[2,3]', 'NP[4,4]']);
  assert.equal(spans(['O', 'E-NP', 'O']), ['NP[1,1]']);
});

test('IOBES that both rule tables read alike', () => {
  const tags = ['S-LOC', 'O', 'B-PER', 'I-PER', 'E-PER', 'S-ORG', 'S-LOC'];
  const want = ['LOC[0,0]', 'PER[2,4]', 'ORG[5,5]', 'LOC[6,6]'];
  assert.equal(spans(tags), want);
  assert.equal(spans(tags, 'iobes'), want);
});

test('conlleval.pl has no S rules: same-type S→S, B→S, E→B, E→S merge; iobes splits them', () => {
  assert.equal(spans(['S-LOC', 'S-LOC']), ['LOC[0,1]']);
  assert.equal(spans(['S-LOC', 'S-LOC'], 'iobes'), ['LOC[0,0]', 'LOC[1,1]']);
  assert.equal(spans(['B-PER', 'E-PER', 'B-PER', 'E-PER']), ['PER[0,3]']);
  assert.equal(spans(['B-PER', 'E-PER', 'B-PER', 'E-PER'], 'iobes'), ['PER[0,1]', 'PER[2,3]']);
  assert.equal(spans(['B-PER', 'S-PER']), ['PER[0,1]']);
  assert.equal(spans(['B-PER', 'S-PER'], 'iobes'), ['PER[0,0]', 'PER[1,1]']);
  assert.equal(spans(['E-PER', 'S-PER'], 'iobes'), ['PER[0,0]', 'PER[1,1]']);
  assert.equal(spans(['S-PER', 'I-PER', 'E-PER'], 'iobes'), ['PER[0,0]', 'PER[1,2]']);
});

test('bracket and "." prefixes follow the conlleval table', () => {
  // "[" and "]" chunks have length 1.
  assert.equal(spans(['[-NP', '[-NP', 'O']), ['NP[0,0]', 'NP[1,1]']);
  // "." never starts a chunk by a type change and a chunk after "." is not ended by one.
  assert.equal(spans(['I-NP', '.-NP', 'I-NP']), ['NP[0,2]']);
  assert.equal(spans(['B-NP', '.', 'I-NP']), ['NP[0,0]', 'NP[2,2]']);
  // A "." token is exempt from the type-change end rule: the chunk runs on through it.
  assert.equal(spans(['I-NP', '.-NP', '.']), ['NP[0,2]']);
});

test('typeless tags (no "-TYPE"): the O→I, O→B, B→B pair rules alone delimit chunks of type ""', () => {
  assert.equal(spans(['I', 'I', 'O', 'I', 'B', 'O', 'E']), ['[0,1]', '[3,3]', '[4,4]', '[6,6]']);
});

test('a start with no end before it closes the open chunk (conlleval leaves this undefined)', () => {
  // "]" always starts a chunk, but B→] of the same type is not an end under the rules.
  assert.equal(spans(['B-NP', ']-NP']), ['NP[0,0]', 'NP[1,1]']);
});

test('typeless odd tags: a chunk the rules never end runs to the sentence end, as in conlleval', () => {
  // "S" (type "") after B-X starts a chunk by the type change; prev "S" with type "" has no end rule
  // before O, so the O tokens do not end it.
  assert.equal(spans(['B-X', 'S', 'O', 'O']), ['X[0,0]', '[1,3]']);
});

test('rejects an unknown rule table', () => {
  assert.throws(() => chunkSpans(['B-X'], { rules: 'bio' as ChunkRules }), /conlleval.*iobes/);
});

test.run();
