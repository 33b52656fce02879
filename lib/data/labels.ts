/**
 * `LabelSet`: the fixed, ordered list of tags a model predicts, and the tag <-> id mapping.
 *
 * It is built from entity types (normally a pair's `sharedLabels`), never from whatever tags one
 * file happens to contain: a type can be missing from a split (DISEASE in the CCKS discharge test
 * set), and the source and target CRFs must agree on ids for the parameter transfer to make sense.
 */
import { isTagScheme, type TagScheme } from './tagScheme.ts';

/** The JSON form of a {@link LabelSet}. `tags` is redundant but lets a loader detect a changed ordering. */
export interface LabelSetJson {
  scheme: TagScheme;
  types: string[];
  tags: string[];
}

const WHITESPACE = /\p{White_Space}/u;

/** Ordered tags: `O` first (id 0), then for each type in the given order `B-`, `I-` (and `E-`, `S-` for BIOES). */
export class LabelSet {
  /** The scheme the tags are spelled in. IOB1 uses the same tags as BIO. */
  readonly scheme: TagScheme;
  /** The entity types, in the order given. */
  readonly types: readonly string[];
  /** All tags; `tags[id]` is the tag of `id`. */
  readonly tags: readonly string[];
  private readonly ids: ReadonlyMap<string, number>;

  /**
   * @throws Error for an empty, duplicated or whitespace-containing type, or an unknown scheme.
   */
  constructor(types: readonly string[], scheme: TagScheme = 'BIO') {
    if (!isTagScheme(scheme)) throw new Error(`LabelSet: unknown tag scheme ${String(scheme)}`);
    const seen = new Set<string>();
    for (const t of types) {
      if (typeof t !== 'string' || t === '' || WHITESPACE.test(t)) throw new Error(`LabelSet: invalid entity type ${JSON.stringify(t)}`);
      if (seen.has(t)) throw new Error(`LabelSet: entity type "${t}" is listed twice`);
      seen.add(t);
    }
    const prefixes = scheme === 'BIOES' ? ['B', 'I', 'E', 'S'] : ['B', 'I'];
    const tags = ['O'];
    for (const t of types) for (const p of prefixes) tags.push(`${p}-${t}`);
    this.scheme = scheme;
    this.types = Object.freeze(types.slice());
    this.tags = Object.freeze(tags);
    this.ids = new Map(tags.map((tag, i) => [tag, i]));
  }

  /** Number of tags (the CRF's label count). */
  get size(): number {
    return this.tags.length;
  }

  /** Whether `tag` is one of the tags. */
  has(tag: string): boolean {
    return this.ids.has(tag);
  }

  /**
   * The id of `tag`.
   * @throws Error naming the tag and listing the known tags (an unmapped type usually means the
   *   sentences were not passed through the pair's label map).
   */
  id(tag: string): number {
    const id = this.ids.get(tag);
    if (id === undefined) throw new Error(`unknown label "${tag}"; the labels are ${this.tags.join(', ')} (${this.scheme})`);
    return id;
  }

  /** The tag of `id`. @throws RangeError when `id` is not in 0..size-1. */
  tag(id: number): string {
    if (!Number.isInteger(id) || id < 0 || id >= this.tags.length) throw new RangeError(`label id ${id} is out of range 0..${this.tags.length - 1}`);
    return this.tags[id];
  }

  /** The entity type of tag `id`, or `null` for `O`. */
  typeOf(id: number): string | null {
    const tag = this.tag(id);
    return tag === 'O' ? null : tag.slice(tag.indexOf('-') + 1);
  }

  /** The JSON form (scheme, types, and the tags for checking), for the model file. */
  toJSON(): LabelSetJson {
    return { scheme: this.scheme, types: this.types.slice(), tags: this.tags.slice() };
  }

  /**
   * Rebuilds a label set from {@link LabelSet.toJSON}'s output.
   * @throws Error when the object is malformed or its `tags` differ from what `scheme` and `types` give.
   */
  static fromJSON(json: unknown): LabelSet {
    const o = json as Partial<LabelSetJson> | null;
    if (typeof o !== 'object' || o === null || !Array.isArray(o.types) || !isTagScheme(o.scheme)) {
      throw new Error('LabelSet.fromJSON: expected { scheme, types, tags }');
    }
    const set = new LabelSet(o.types, o.scheme);
    if (o.tags !== undefined && (!Array.isArray(o.tags) || o.tags.length !== set.size || o.tags.some((t, i) => t !== set.tags[i]))) {
      throw new Error(`LabelSet.fromJSON: stored tags ${JSON.stringify(o.tags)} differ from the tags of ${o.scheme} ${JSON.stringify(o.types)}: ${JSON.stringify(set.tags)}`);
    }
    return set;
  }
}
