/**
 * `ModelFileError`: the one error type for a model file that cannot be written, read or applied.
 *
 * The message always starts with the source (a path, or `<bytes>` when decoding an anonymous
 * buffer) followed by the problem, in the `source: problem` form the rest of ladtl uses, so the CLI
 * can print it as is. `reason` gives callers (and tests) a stable code to branch on without
 * parsing prose.
 */

/** Why a model file was refused. */
export type ModelFileErrorReason =
  /** The bytes do not start with the ladtl magic: some other kind of file. */
  | 'not-a-model'
  /** A ladtl model of a format version this build cannot read. */
  | 'unsupported-version'
  /** The bytes end before the layout says they should (an interrupted copy or download). */
  | 'truncated'
  /** A checksum mismatch, or bytes after the end of the data: the file was damaged. */
  | 'corrupt'
  /** The header is not valid UTF-8 JSON of the expected structure. */
  | 'malformed'
  /** The tensor table contradicts itself or the data section (overlap, gap, range, shape, duplicates). */
  | 'inconsistent-table'
  /** A tensor holds NaN or ±Infinity (or a float64 value too large for float32). */
  | 'non-finite'
  /** What the caller asked to encode cannot be represented faithfully (not JSON, bad tensor name). */
  | 'invalid-contents'
  /** The tensors do not fit the model they are restored into (missing, extra, wrong shape, labels). */
  | 'mismatch'
  /** The file system refused (no such file, permission, full disk); `cause` holds the original error. */
  | 'io';

export class ModelFileError extends Error {
  /** Where the bytes came from (used only for messages). */
  readonly source: string;
  readonly reason: ModelFileErrorReason;
  /** The problem alone, without the source. */
  readonly problem: string;

  constructor(source: string, reason: ModelFileErrorReason, problem: string, options?: { cause?: unknown }) {
    super(`${source}: ${problem}`, options);
    this.name = 'ModelFileError';
    this.source = source;
    this.reason = reason;
    this.problem = problem;
  }
}
