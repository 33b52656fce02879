/**
 * Tag schemes for span labelling: BIO (= IOB2), IOB1 and BIOES (= IOBES).
 *
 * - BIO: every entity starts with `B-X`; `I-X` continues an X entity. An `I-X` after `O` or after a
 *   different type is an error (strict BIO), because readers disagree on what it means.
 * - IOB1 (original CoNLL-2003): an entity normally starts with `I-X`; `B-X` is used only for the
 *   first token of an entity that directly follows another X entity. A `B-X` anywhere else is an error
 *   (the CoNLL-2003 originals never do it).
 * - BIOES: `S-X` is a one-token entity; a longer one is `B-X (I-X)* E-X`. Every entity must be closed.
 *
 * A tag is `O` or `PREFIX-TYPE`, split at the FIRST `-` only, because types may contain `-`
 * (`Regulon-operon`, `Multi-tissue_structure`, `creative-work`). Types are case-sensitive.
 *
 * All conversions go through BIO, which has exactly one spelling for every set of spans.
 */

/** A supported tag scheme (canonical names; see {@link parseTagScheme} for aliases). */
export type TagScheme = 'BIO' | 'IOB1' | 'BIOES';

/** The canonical scheme names, in a stable order. */
export const TAG_SCHEMES: readonly TagScheme[] = ['BIO', 'IOB1', 'BIOES'];

const ALIASES: ReadonlyMap<string, TagScheme> = new Map<string, TagScheme>([
  ['BIO', 'BIO'],
  ['IOB2', 'BIO'],
  ['IOB1', 'IOB1'],
  ['BIOES', 'BIOES'],
  ['IOBES', 'BIOES'],
]);

/**
 * Reads a scheme name, case-insensitively, accepting the aliases IOB2 (= BIO) and IOBES (= BIOES).
 * @throws Error naming the unknown name and listing the known ones.
 */
export function parseTagScheme(name: string): TagScheme {
  const scheme = ALIASES.get(name.toUpperCase());
  if (scheme === undefined) {
    throw new Error(`unknown tag scheme "${name}"; known: BIO (alias IOB2), IOB1, BIOES (alias IOBES)`);
  }
  return scheme;
}

/** True when `value` is one of the canonical scheme names (for validating untyped input). */
export function isTagScheme(value: unknown): value is TagScheme {
  return typeof value === 'string' && (TAG_SCHEMES as readonly string[]).includes(value);
}

/** A tag split into its prefix (`O`, `B`, `I`, `E`, `S`, ...) and entity type (`''` for `O`). */
export interface TagParts {
  prefix: string;
  type: string;
}

/** The syntax check behind {@link splitTag}: the parts, or a description of what is wrong. */
function parseTag(tag: string): TagParts | string {
  if (tag === 'O') return { prefix: 'O', type: '' };
  const dash = tag.indexOf('-');
  if (tag.length === 0) return 'empty tag';
  if (dash < 0) return `malformed tag "${tag}": expected O or PREFIX-TYPE such as B-${tag}`;
  if (dash === 0) return `malformed tag "${tag}": no prefix before the "-"`;
  if (dash === tag.length - 1) return `malformed tag "${tag}": no entity type after the "-"`;
  return { prefix: tag.slice(0, dash), type: tag.slice(dash + 1) };
}

/**
 * Splits a tag at its first `-`: `B-Regulon-operon` -> `{ prefix: 'B', type: 'Regulon-operon' }`,
 * `O` -> `{ prefix: 'O', type: '' }`. Only the syntax is checked here, not the scheme.
 * @throws Error when the tag is neither `O` nor `PREFIX-TYPE` with both parts non-empty.
 */
export function splitTag(tag: string): TagParts {
  const parts = parseTag(tag);
  if (typeof parts === 'string') throw new Error(parts);
  return parts;
}

const PREFIXES: Readonly<Record<TagScheme, readonly string[]>> = {
  BIO: ['B', 'I'],
  IOB1: ['B', 'I'],
  BIOES: ['B', 'I', 'E', 'S'],
};

/**
 * Checks one tag's syntax and prefix for a scheme, without looking at its neighbours.
 * @returns the parts, or a description of the problem.
 */
export function checkTag(tag: string, scheme: TagScheme): TagParts | string {
  const parts = parseTag(tag);
  if (typeof parts === 'string') return parts;
  if (parts.prefix !== 'O' && !PREFIXES[scheme].includes(parts.prefix)) {
    const allowed = ['O', ...PREFIXES[scheme].map((p) => `${p}-TYPE`)].join(', ');
    return `tag "${tag}" is not valid in ${scheme} (expected ${allowed})`;
  }
  return parts;
}

/** Where a tag sequence first breaks its scheme. */
export interface TagProblem {
  /** 0-based position of the offending tag. */
  index: number;
  problem: string;
}

/**
 * Finds the first tag that is malformed or breaks the scheme's sequence rules (see the module
 * comment), or `null` when the sequence is valid. The sequence is one sentence: it starts and ends
 * outside any entity.
 */
export function findTagProblem(tags: readonly string[], scheme: TagScheme): TagProblem | null {
  let prev: TagParts = { prefix: 'O', type: '' };
  let prevTag = '';
  const before = (): string => (prevTag === '' ? 'at the start of the sentence' : `after "${prevTag}"`);
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i];
    const parts = checkTag(tag, scheme);
    if (typeof parts === 'string') return { index: i, problem: parts };
    const { prefix, type } = parts;
    // In BIO and BIOES an entity is "open" after B-X or I-X; in IOB1 after B-X or I-X as well.
    const continuesSameType = (prev.prefix === 'B' || prev.prefix === 'I') && prev.type === type;
    if (scheme === 'BIO') {
      if (prefix === 'I' && !continuesSameType) {
        return { index: i, problem: `"${tag}" ${before()} does not continue a ${type} entity; in strict BIO an entity starts with B-${type}` };
      }
    } else if (scheme === 'IOB1') {
      if (prefix === 'B' && !continuesSameType) {
        return { index: i, problem: `"${tag}" ${before()}: in IOB1, B-${type} only separates two adjacent ${type} entities (an entity starts with I-${type})` };
      }
    } else {
      const open = prev.prefix === 'B' || prev.prefix === 'I';
      if (open && !((prefix === 'I' || prefix === 'E') && type === prev.type)) {
        return { index: i, problem: `"${tag}" ${before()}: the ${prev.type} entity must continue with I-${prev.type} or end with E-${prev.type}` };
      }
      if (!open && (prefix === 'I' || prefix === 'E')) {
        return { index: i, problem: `"${tag}" ${before()} does not continue a ${type} entity; in BIOES an entity starts with B-${type} or is a single S-${type}` };
      }
    }
    prev = parts;
    prevTag = tag;
  }
  if (scheme === 'BIOES' && (prev.prefix === 'B' || prev.prefix === 'I')) {
    return { index: tags.length - 1, problem: `the sentence ends inside a ${prev.type} entity ("${prevTag}"); in BIOES an entity ends with E-${prev.type} or is a single S-${prev.type}` };
  }
  return null;
}

/**
 * Throws when `tags` is not a valid sentence in `scheme`.
 * @param where turns the offending position into a place for the message (e.g. `file:line`);
 *   the message is `${where(i)}: problem`.
 */
export function validateTags(tags: readonly string[], scheme: TagScheme, where: (index: number) => string = (i) => `tag ${i}`): void {
  const found = findTagProblem(tags, scheme);
  if (found !== null) throw new Error(`${where(found.index)}: ${found.problem}`);
}

/** Validated tags -> BIO. */
function toBio(tags: readonly string[], from: TagScheme): string[] {
  validateTags(tags, from, (i) => `convertTags: ${from} tag ${i}`);
  const out = new Array<string>(tags.length);
  let prev: TagParts = { prefix: 'O', type: '' };
  for (let i = 0; i < tags.length; i++) {
    const parts = splitTag(tags[i]);
    const { prefix, type } = parts;
    if (prefix === 'O') out[i] = 'O';
    else if (from === 'BIOES') out[i] = (prefix === 'B' || prefix === 'S' ? 'B-' : 'I-') + type;
    else if (from === 'IOB1') {
      // IOB1: an I-X that does not continue an X entity starts one; B-X always starts one.
      const continues = (prev.prefix === 'B' || prev.prefix === 'I') && prev.type === type;
      out[i] = (prefix === 'I' && continues ? 'I-' : 'B-') + type;
    } else out[i] = tags[i];
    prev = parts;
  }
  return out;
}

/** Valid BIO -> another scheme. */
function fromBio(bio: readonly string[], to: TagScheme): string[] {
  const out = new Array<string>(bio.length);
  for (let i = 0; i < bio.length; i++) {
    const { prefix, type } = splitTag(bio[i]);
    if (prefix === 'O') { out[i] = 'O'; continue; }
    const next = i + 1 < bio.length ? bio[i + 1] : 'O';
    const continuesNext = next === `I-${type}`;
    if (to === 'BIOES') {
      if (prefix === 'B') out[i] = (continuesNext ? 'B-' : 'S-') + type;
      else out[i] = (continuesNext ? 'I-' : 'E-') + type;
    } else if (to === 'IOB1') {
      // B-X survives only where the previous token ends an X entity; everywhere else I-X.
      const prev = i > 0 ? splitTag(bio[i - 1]) : { prefix: 'O', type: '' };
      const afterSameType = prev.prefix !== 'O' && prev.type === type;
      out[i] = (prefix === 'B' && afterSameType ? 'B-' : 'I-') + type;
    } else out[i] = bio[i];
  }
  return out;
}

/**
 * Converts one sentence's tags between schemes (any pair, via BIO). The input is validated first.
 * Examples: IOB1 `I-X I-X B-X` -> BIO `B-X I-X B-X`; BIO `B-X B-X I-X` -> BIOES `S-X B-X E-X`.
 * @returns a new array (also when `from === to`).
 * @throws Error when `tags` is not valid in `from`.
 */
export function convertTags(tags: readonly string[], from: TagScheme, to: TagScheme): string[] {
  if (from === to) {
    validateTags(tags, from, (i) => `convertTags: ${from} tag ${i}`);
    return tags.slice();
  }
  return fromBio(toBio(tags, from), to);
}

/** An entity mention: tokens `start` (inclusive) to `end` (exclusive). */
export interface EntitySpan {
  type: string;
  start: number;
  end: number;
}

/**
 * The entity spans of one sentence's tags, in order of their start.
 * @throws Error when `tags` is not valid in `scheme`.
 */
export function entitySpans(tags: readonly string[], scheme: TagScheme): EntitySpan[] {
  const bio = scheme === 'BIO' ? (validateTags(tags, 'BIO', (i) => `entitySpans: BIO tag ${i}`), tags) : toBio(tags, scheme);
  const spans: EntitySpan[] = [];
  let current: EntitySpan | null = null;
  for (let i = 0; i < bio.length; i++) {
    const { prefix, type } = splitTag(bio[i]);
    if (prefix === 'I') continue; // valid BIO: always continues `current`
    if (current !== null) { current.end = i; spans.push(current); current = null; }
    if (prefix === 'B') current = { type, start: i, end: i + 1 };
  }
  if (current !== null) { current.end = bio.length; spans.push(current); }
  return spans;
}
