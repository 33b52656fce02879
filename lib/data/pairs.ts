/**
 * Transfer pairs (`../shared/data/pairs.json`) and label maps.
 *
 * A pair names a source and a target corpus folder and, per side, a map from the corpus's own entity
 * types to the shared types (`null`: rewrite to `O`). Validation is strict, because a typo in a
 * label map would otherwise silently turn a type into `O` and skew both the scores and La-MMD.
 */
import { CorpusError } from './corpusError.ts';
import { withoutByteOrderMark } from './byteOrderMark.ts';
import type { Sentence } from './conll.ts';
import { convertTags, findTagProblem, splitTag, type TagScheme } from './tagScheme.ts';

/** Corpus entity type -> shared type, or `null` for "becomes O". Only own properties count. */
export type LabelMap = Readonly<Record<string, string | null>>;

/** One side of a pair. */
export interface CorpusSide {
  /** Corpus folder, relative to the folder of the pairs file (it holds train.tsv, dev.tsv, test.tsv). */
  corpus: string;
  labelMap: LabelMap;
}

/** One source -> target pair. */
export interface PairSpec {
  id: string;
  group: string | null;
  source: CorpusSide;
  target: CorpusSide;
  /** The shared types, in the file's order (use it to build the `LabelSet`). */
  sharedLabels: string[];
  notes: string | null;
}

/** The parsed pairs file. */
export interface PairsFile {
  /** Target-train fractions of the few-label protocol (e.g. 0.05, 0.1, 0.2). */
  fewLabelFractions: number[];
  pairs: PairSpec[];
}

const WHITESPACE = /\p{White_Space}/u;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  return v === undefined ? 'nothing' : Array.isArray(v) ? 'an array' : v === null ? 'null' : `${typeof v} ${JSON.stringify(v)}`;
}

function isName(v: unknown): v is string {
  return typeof v === 'string' && v !== '' && !WHITESPACE.test(v);
}

/**
 * Parses and validates a pairs file.
 *
 * Checked: the JSON; `fewLabelFractions` (numbers in (0, 1], no repeats); `pairs` (a non-empty
 * array); per pair: `id` (a unique non-empty string), `source`/`target` with a non-empty `corpus`
 * and a `labelMap` of type names to type names or `null`, `sharedLabels` (unique names), every
 * non-null map value is a shared label, and every shared label is reached by at least one type on
 * each side. `group` and `notes` are optional strings; other fields are ignored.
 *
 * @throws CorpusError `file: pair "<id>": <field>: problem`.
 */
export function parsePairs(jsonText: string, file: string): PairsFile {
  let root: unknown;
  try {
    root = JSON.parse(withoutByteOrderMark(jsonText));
  } catch (e) {
    throw new CorpusError(file, null, `invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const fail = (where: string, problem: string): never => { throw new CorpusError(file, null, `${where}: ${problem}`); };
  if (!isObject(root)) fail('top level', `expected an object, found ${describe(root)}`);
  const top = root as Record<string, unknown>;

  const fractions = top.fewLabelFractions;
  if (!Array.isArray(fractions)) fail('fewLabelFractions', `expected an array of numbers, found ${describe(fractions)}`);
  const fewLabelFractions: number[] = [];
  (fractions as unknown[]).forEach((f, i) => {
    if (typeof f !== 'number' || !(f > 0 && f <= 1)) fail(`fewLabelFractions[${i}]`, `expected a number in (0, 1], found ${describe(f)}`);
    if (fewLabelFractions.includes(f as number)) fail(`fewLabelFractions[${i}]`, `${f} is listed twice`);
    fewLabelFractions.push(f as number);
  });

  if (!Array.isArray(top.pairs) || top.pairs.length === 0) fail('pairs', `expected a non-empty array, found ${describe(top.pairs)}`);
  const pairs: PairSpec[] = [];
  const ids = new Set<string>();
  (top.pairs as unknown[]).forEach((raw, index) => {
    if (!isObject(raw)) fail(`pairs[${index}]`, `expected an object, found ${describe(raw)}`);
    const p = raw as Record<string, unknown>;
    if (typeof p.id !== 'string' || p.id === '') fail(`pairs[${index}].id`, `expected a non-empty string, found ${describe(p.id)}`);
    const id = p.id as string;
    const at = (field: string): string => `pair "${id}": ${field}`;
    if (ids.has(id)) fail(at('id'), 'the id is used by an earlier pair too');
    ids.add(id);
    for (const field of ['group', 'notes'] as const) {
      if (p[field] !== undefined && p[field] !== null && typeof p[field] !== 'string') fail(at(field), `expected a string, found ${describe(p[field])}`);
    }

    if (!Array.isArray(p.sharedLabels) || p.sharedLabels.length === 0) fail(at('sharedLabels'), `expected a non-empty array of type names, found ${describe(p.sharedLabels)}`);
    const shared: string[] = [];
    (p.sharedLabels as unknown[]).forEach((l, i) => {
      if (!isName(l)) fail(at(`sharedLabels[${i}]`), `expected a type name without whitespace, found ${describe(l)}`);
      if (shared.includes(l as string)) fail(at(`sharedLabels[${i}]`), `"${l}" is listed twice`);
      shared.push(l as string);
    });

    const side = (name: 'source' | 'target'): CorpusSide => {
      const s = p[name];
      if (!isObject(s)) fail(at(name), `expected an object { corpus, labelMap }, found ${describe(s)}`);
      const o = s as Record<string, unknown>;
      if (typeof o.corpus !== 'string' || o.corpus === '') fail(at(`${name}.corpus`), `expected a non-empty folder name, found ${describe(o.corpus)}`);
      if (!isObject(o.labelMap)) fail(at(`${name}.labelMap`), `expected an object mapping types to types or null, found ${describe(o.labelMap)}`);
      const entries: [string, string | null][] = [];
      for (const [from, to] of Object.entries(o.labelMap as Record<string, unknown>)) {
        const field = `${name}.labelMap.${from}`;
        if (!isName(from)) fail(at(field), 'a type name must be non-empty and without whitespace');
        if (to !== null && !isName(to)) fail(at(field), `expected a type name or null, found ${describe(to)}`);
        if (to !== null && !shared.includes(to as string)) fail(at(field), `maps to "${to}", which is not in sharedLabels (${shared.join(', ')})`);
        entries.push([from, to as string | null]);
      }
      for (const label of shared) {
        if (!entries.some(([, to]) => to === label)) fail(at(`${name}.labelMap`), `no type maps to the shared label "${label}"`);
      }
      // Object.fromEntries defines own properties, so even a "__proto__" key stays data.
      return { corpus: o.corpus as string, labelMap: Object.freeze(Object.fromEntries(entries)) };
    };
    const source = side('source');
    const target = side('target');
    pairs.push({
      id,
      group: typeof p.group === 'string' ? p.group : null,
      source,
      target,
      sharedLabels: shared,
      notes: typeof p.notes === 'string' ? p.notes : null,
    });
  });
  return { fewLabelFractions, pairs };
}

/**
 * The pair with this id.
 * @throws Error listing the known ids.
 */
export function findPair(pairs: PairsFile | readonly PairSpec[], id: string): PairSpec {
  const list = Array.isArray(pairs) ? (pairs as readonly PairSpec[]) : (pairs as PairsFile).pairs;
  const found = list.find((p) => p.id === id);
  if (found === undefined) throw new Error(`unknown pair "${id}"; known: ${list.map((p) => p.id).join(', ')}`);
  return found;
}

/**
 * Rewrites every entity type through `labelMap`: `B-X` -> `B-map[X]`, and both tags of an X entity
 * to `O` when `map[X]` is `null`. Returns new sentences (same tokens and lines); the input is not
 * modified.
 *
 * The tags are validated in `scheme` first. Mapping is done on BIO (or BIOES) spelling, where every
 * entity start is marked, so merging two types can't join two adjacent entities; IOB1 input is
 * converted to BIO, mapped, and converted back for that reason.
 *
 * @param file the sentences' file, for messages; token `i` of a sentence is on line `sentence.line + i`.
 * @throws CorpusError `file:line: ...` for a type that is not in the map (nothing is dropped
 *   silently) or a tag sequence that is invalid in `scheme`.
 */
export function applyLabelMap(sentences: readonly Sentence[], labelMap: LabelMap, file: string, scheme: TagScheme = 'BIO'): Sentence[] {
  const known = Object.keys(labelMap).join(', ');
  return sentences.map((s) => {
    const problem = findTagProblem(s.tags, scheme);
    if (problem !== null) throw new CorpusError(file, s.line + problem.index, `${problem.problem} (scheme ${scheme})`);
    const tags = scheme === 'IOB1' ? convertTags(s.tags, 'IOB1', 'BIO') : s.tags;
    const mapped = tags.map((tag, i) => {
      if (tag === 'O') return 'O';
      const { prefix, type } = splitTag(tag);
      if (!Object.hasOwn(labelMap, type)) {
        throw new CorpusError(file, s.line + i, `entity type "${type}" (tag "${s.tags[i]}") is not in the label map (it maps: ${known})`);
      }
      const to = labelMap[type];
      return to === null ? 'O' : `${prefix}-${to}`;
    });
    return { tokens: s.tokens.slice(), tags: scheme === 'IOB1' ? convertTags(mapped, 'BIO', 'IOB1') : mapped, line: s.line };
  });
}
