/** Tag schemes: names, splitting, validation, conversions (round trips on every short sequence), spans. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  TAG_SCHEMES, parseTagScheme, splitTag, validateTags, findTagProblem, convertTags, entitySpans, type TagScheme, type EntitySpan,
} from '../../lib/data/index.ts';
import { assertThrowsWith } from '../helpers/assert.ts';

test('parseTagScheme: canonical names and aliases, case-insensitive; unknown names list the known ones', () => {
  assert.is(parseTagScheme('bio'), 'BIO');
  assert.is(parseTagScheme('IOB2'), 'BIO');
  assert.is(parseTagScheme('iob1'), 'IOB1');
  assert.is(parseTagScheme('Bioes'), 'BIOES');
  assert.is(parseTagScheme('iobes'), 'BIOES');
  assertThrowsWith(() => parseTagScheme('BILOU'), 'unknown tag scheme "BILOU"', 'BIO', 'IOB2', 'IOB1', 'BIOES', 'IOBES');
  assertThrowsWith(() => parseTagScheme(' BIO'), 'unknown tag scheme');
});

test('splitTag splits at the first "-" only; O has an empty type; malformed tags throw', () => {
  assert.equal(splitTag('B-Regulon-operon'), { prefix: 'B', type: 'Regulon-operon' });
  assert.equal(splitTag('I-Multi-tissue_structure'), { prefix: 'I', type: 'Multi-tissue_structure' });
  assert.equal(splitTag('O'), { prefix: 'O', type: '' });
  assertThrowsWith(() => splitTag('PER'), 'malformed tag "PER"');
  assertThrowsWith(() => splitTag('B-'), 'no entity type');
  assertThrowsWith(() => splitTag('-X'), 'no prefix');
  assertThrowsWith(() => splitTag(''), 'empty tag');
});

test('validateTags: valid sequences pass, the first bad position is reported through `where`', () => {
  validateTags(['B-X', 'I-X', 'O'], 'BIO', () => 'unused');
  validateTags(['I-X', 'B-X', 'I-Y'], 'IOB1');
  validateTags(['S-X', 'B-Y', 'I-Y', 'E-Y'], 'BIOES');
  assertThrowsWith(() => validateTags(['O', 'B-X', 'O', 'I-X'], 'BIO', (i) => `f.tsv:${10 + i}`), 'f.tsv:13: "I-X" after "O"');
  assertThrowsWith(() => validateTags(['B-X', 'I-X'], 'BIOES'), 'tag 1: the sentence ends inside a X entity');
  assert.equal(findTagProblem(['O', 'S-X'], 'BIO'), { index: 1, problem: 'tag "S-X" is not valid in BIO (expected O, B-TYPE, I-TYPE)' });
  assert.is(findTagProblem([], 'BIOES'), null);
});

test('convertTags on fixed examples: IOB1 -> BIO -> BIOES and back', () => {
  const iob1 = ['I-PER', 'I-PER', 'B-PER', 'I-ORG', 'O', 'I-LOC', 'I-LOC', 'B-LOC'];
  const bio = ['B-PER', 'I-PER', 'B-PER', 'B-ORG', 'O', 'B-LOC', 'I-LOC', 'B-LOC'];
  const bioes = ['B-PER', 'E-PER', 'S-PER', 'S-ORG', 'O', 'B-LOC', 'E-LOC', 'S-LOC'];
  assert.equal(convertTags(iob1, 'IOB1', 'BIO'), bio);
  assert.equal(convertTags(bio, 'BIO', 'BIOES'), bioes);
  assert.equal(convertTags(bioes, 'BIOES', 'IOB1'), iob1);
  assert.equal(convertTags(bio, 'BIO', 'IOB1'), iob1);
  assert.equal(convertTags(bioes, 'BIOES', 'BIO'), bio);
  assert.equal(convertTags(iob1, 'IOB1', 'BIOES'), bioes);
  // Types with "-": same rules, adjacent same-type entities stay apart.
  assert.equal(convertTags(['B-a-b', 'B-a-b', 'I-a-b', 'I-a-b'], 'BIO', 'BIOES'), ['S-a-b', 'B-a-b', 'I-a-b', 'E-a-b']);
  assert.equal(convertTags(['B-a-b', 'B-a-b', 'I-a-b'], 'BIO', 'IOB1'), ['I-a-b', 'B-a-b', 'I-a-b']);
});

test('convertTags returns a copy and validates its input', () => {
  const tags = ['B-X', 'I-X'];
  const same = convertTags(tags, 'BIO', 'BIO');
  assert.equal(same, tags);
  assert.ok(same !== tags);
  assertThrowsWith(() => convertTags(['O', 'I-X'], 'BIO', 'BIOES'), 'BIO tag 1', '"I-X" after "O"');
  assertThrowsWith(() => convertTags(['B-X', 'O'], 'BIOES', 'BIO'), 'BIOES tag 1');
  assertThrowsWith(() => convertTags(['O', 'B-X'], 'IOB1', 'IOB1'), 'IOB1 tag 1');
});

/** Every valid BIO sequence of length 0..maxLen over two types (one containing "-"). */
function allBioSequences(maxLen: number): string[][] {
  const alphabet = ['O', 'B-A', 'I-A', 'B-x-y', 'I-x-y'];
  const out: string[][] = [];
  const grow = (prefix: string[]): void => {
    if (findTagProblem(prefix, 'BIO') !== null) return; // every prefix of a valid BIO sequence is valid
    out.push(prefix);
    if (prefix.length < maxLen) for (const t of alphabet) grow([...prefix, t]);
  };
  grow([]);
  return out;
}

/** Reference spans, written independently of the library: BIO, B starts, I continues. */
function bioSpans(tags: string[]): EntitySpan[] {
  const spans: EntitySpan[] = [];
  tags.forEach((t, i) => {
    if (t.startsWith('B-')) spans.push({ type: t.slice(2), start: i, end: i + 1 });
    else if (t.startsWith('I-')) spans[spans.length - 1].end = i + 1;
  });
  return spans;
}

test('every valid BIO sequence up to length 6 round-trips through all scheme pairs, with the same spans', () => {
  const seqs = allBioSequences(6);
  assert.ok(seqs.length > 1000, `${seqs.length} sequences`);
  for (const bio of seqs) {
    const spans = bioSpans(bio);
    const inScheme = {} as Record<TagScheme, string[]>;
    for (const s of TAG_SCHEMES) {
      inScheme[s] = convertTags(bio, 'BIO', s);
      assert.is(findTagProblem(inScheme[s], s), null, `${bio.join(' ')} as ${s}: ${inScheme[s].join(' ')}`);
      assert.equal(entitySpans(inScheme[s], s), spans, `spans of ${inScheme[s].join(' ')} (${s})`);
    }
    for (const from of TAG_SCHEMES) {
      for (const to of TAG_SCHEMES) assert.equal(convertTags(inScheme[from], from, to), inScheme[to], `${from} -> ${to}: ${bio.join(' ')}`);
    }
  }
});

test('each scheme has exactly one spelling per span set (conversion is a bijection on valid sequences)', () => {
  // Count valid sequences of length 4 in each scheme by brute force; they must all equal the BIO count.
  const count = (scheme: TagScheme, alphabet: string[]): number => {
    let n = 0;
    const rec = (p: string[]): void => {
      if (p.length === 4) { if (findTagProblem(p, scheme) === null) n++; return; }
      for (const t of alphabet) rec([...p, t]);
    };
    rec([]);
    return n;
  };
  const types = ['A', 'B'];
  const tagsOf = (prefixes: string[]): string[] => ['O', ...types.flatMap((t) => prefixes.map((p) => `${p}-${t}`))];
  const bio = count('BIO', tagsOf(['B', 'I']));
  assert.is(count('IOB1', tagsOf(['B', 'I'])), bio);
  assert.is(count('BIOES', tagsOf(['B', 'I', 'E', 'S'])), bio);
});

test('entitySpans on tricky sequences', () => {
  assert.equal(entitySpans(['B-X', 'B-X', 'I-X', 'B-Y', 'O', 'B-X'], 'BIO'), [
    { type: 'X', start: 0, end: 1 }, { type: 'X', start: 1, end: 3 }, { type: 'Y', start: 3, end: 4 }, { type: 'X', start: 5, end: 6 },
  ]);
  // IOB1: I-Y right after I-X starts a new entity; B-X separates adjacent X entities.
  assert.equal(entitySpans(['I-X', 'I-Y', 'I-Y', 'B-Y', 'O'], 'IOB1'), [
    { type: 'X', start: 0, end: 1 }, { type: 'Y', start: 1, end: 3 }, { type: 'Y', start: 3, end: 4 },
  ]);
  assert.equal(entitySpans(['S-X', 'B-X', 'E-X'], 'BIOES'), [{ type: 'X', start: 0, end: 1 }, { type: 'X', start: 1, end: 3 }]);
  assert.equal(entitySpans(['O', 'O'], 'BIO'), []);
  assertThrowsWith(() => entitySpans(['I-X'], 'BIO'), 'entitySpans', '"I-X"');
});

test.run();
