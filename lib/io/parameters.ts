/**
 * Moving parameter values between a model (`Module.namedParameters()`) and the tensor map of a
 * model file, and checking that a file's label list is the one a model was built for.
 *
 * Everything is checked before anything is changed: a refused restore leaves the model exactly as
 * it was, and its error lists every problem at once (fixing them one run at a time is tedious).
 */
import type { Tensor } from '../tensor/index.ts';
import { ModelFileError } from './modelFileError.ts';

/** Something that holds a parameter tensor, such as the `Variable`s of `Module.namedParameters()`. */
export interface ParameterSlot {
  value: Tensor;
}

/** How many individual problems an error message lists before summarising the rest. */
const MAX_LISTED = 12;

/**
 * The parameters' current tensors by name, in the module's registration order, ready for
 * `encodeModelFile`. The tensors are the live values, not copies: encode right away (encoding
 * copies), or `clone()` them if training continues in between.
 */
export function collectParameters(named: ReadonlyMap<string, ParameterSlot>): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const [name, slot] of named) out.set(name, slot.value);
  return out;
}

/**
 * Copies each tensor of `tensors` into the parameter of the same name, in place.
 *
 * In place rather than replacing `value`, so that anything holding the parameter tensor (an
 * optimizer's state keyed by it, a view, a tied weight) keeps seeing the restored values. Values
 * are converted to the parameter's dtype (a float64 model loads a float32 file).
 *
 * @param source names the file in error messages.
 * @throws ModelFileError `mismatch`, naming every missing tensor, unexpected extra tensor, and
 *   shape mismatch (with both shapes); nothing is copied in that case.
 */
export function restoreParameters(named: ReadonlyMap<string, ParameterSlot>, tensors: ReadonlyMap<string, Tensor>, source: string): void {
  const problems: string[] = [];
  for (const [name, slot] of named) {
    const t = tensors.get(name);
    if (t === undefined) {
      problems.push(`missing tensor '${name}': the model has this parameter, the file does not`);
    } else if (!sameShape(t.shape, slot.value.shape)) {
      problems.push(`tensor '${name}' has shape ${formatShape(t.shape)} in the file but ${formatShape(slot.value.shape)} in the model`);
    }
  }
  for (const name of tensors.keys()) {
    if (!named.has(name)) problems.push(`unexpected tensor '${name}': the file has it, the model has no such parameter`);
  }
  if (problems.length > 0) {
    throw new ModelFileError(source, 'mismatch', `the file's tensors do not fit this model (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${listed(problems, '; ')}`);
  }
  for (const [name, slot] of named) copyInto(slot.value, tensors.get(name)!);
}

/**
 * Throws unless `found` (the labels stored in a file) equals `expected` (the labels the model
 * indexes its CRF by), element for element. Order matters: label ids are positions, so the same
 * labels in another order would silently swap tags.
 *
 * @param source names the file in error messages.
 * @throws ModelFileError `mismatch`, listing the labels missing from the file, the labels only
 *   the file has, repeated labels, and where the order differs.
 */
export function assertSameLabels(expected: readonly string[], found: readonly string[], source: string): void {
  if (expected.length === found.length && expected.every((label, i) => label === found[i])) return;
  const expectedSet = new Set(expected);
  const foundSet = new Set(found);
  const missing = [...expectedSet].filter((l) => !foundSet.has(l));
  const extra = [...foundSet].filter((l) => !expectedSet.has(l));
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`missing from the file: ${quoteAll(missing)}`);
  if (extra.length > 0) problems.push(`in the file but not expected: ${quoteAll(extra)}`);
  const repeatedInFile = repeated(found);
  if (repeatedInFile.length > 0) problems.push(`repeated in the file: ${quoteAll(repeatedInFile)}`);
  const repeatedExpected = repeated(expected);
  if (repeatedExpected.length > 0) problems.push(`repeated in the expected labels: ${quoteAll(repeatedExpected)}`);

  // Compare the order of the labels both sides have, so that an order problem is reported even
  // alongside missing or extra labels.
  const sharedExpected = expected.filter((l) => foundSet.has(l));
  const sharedFound = found.filter((l) => expectedSet.has(l));
  const moved: string[] = [];
  for (let i = 0; i < Math.min(sharedExpected.length, sharedFound.length); i++) {
    if (sharedExpected[i] !== sharedFound[i]) moved.push(`'${sharedFound[i]}' where '${sharedExpected[i]}' was expected`);
  }
  if (moved.length > 0) {
    const which = missing.length + extra.length > 0 ? 'the labels both sides have are' : 'the same labels are';
    problems.push(`${which} in a different order (${listed(moved, ', ')})`);
  }
  // Anything else (e.g. only the number of repeats differs) is still a mismatch; the lists below show it.
  throw new ModelFileError(source, 'mismatch',
    `the file's labels do not match the model's: ${problems.length > 0 ? problems.join('; ') : 'the lists differ'} (expected ${quoteList(expected)}, the file has ${quoteList(found)})`);
}

/** Writes `src`'s elements into `dst`'s storage in row-major order (`dst` may be a strided view). */
function copyInto(dst: Tensor, src: Tensor): void {
  const values = src.values();
  if (dst.isContiguous()) {
    // TypedArray.set converts between float32 and float64 as it copies.
    dst.data.set(values, dst.offset);
    return;
  }
  const rank = dst.shape.length;
  const index = new Array<number>(rank).fill(0);
  let at = dst.offset;
  for (let i = 0; i < values.length; i++) {
    dst.data[at] = values[i];
    // Odometer step over the multi-index, keeping `at` as the storage position.
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++;
      at += dst.strides[d];
      if (index[d] < dst.shape[d]) break;
      at -= dst.strides[d] * dst.shape[d];
      index[d] = 0;
    }
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Labels that occur more than once, each named once. */
function repeated(labels: readonly string[]): string[] {
  const seen = new Set<string>();
  const out = new Set<string>();
  for (const l of labels) (seen.has(l) ? out : seen).add(l);
  return [...out];
}

function quoteAll(labels: readonly string[]): string {
  return listed(labels.map((l) => `'${l}'`), ', ');
}

function quoteList(labels: readonly string[]): string {
  return `[${listed(labels.map((l) => `'${l}'`), ', ')}]`;
}

/** Joins at most MAX_LISTED items and says how many more there are. */
function listed(items: readonly string[], separator: string): string {
  if (items.length <= MAX_LISTED) return items.join(separator);
  return `${items.slice(0, MAX_LISTED).join(separator)}${separator}and ${items.length - MAX_LISTED} more`;
}
