/**
 * `CorpusError`: the one error type for bad input data (corpus files, order files, pairs files).
 *
 * Every problem in a data file is reported, never skipped, and the message always starts with the
 * place, `file:line: problem` (or `file: problem` when no single line is at fault), which is the
 * form editors and terminals turn into a clickable link.
 */
export class CorpusError extends Error {
  /** The file name the caller passed in (used only for messages). */
  readonly file: string;
  /** 1-based line of the problem, or `null` when it concerns the whole file (e.g. invalid JSON, a missing index). */
  readonly line: number | null;
  /** The problem alone, without the place. */
  readonly problem: string;

  constructor(file: string, line: number | null, problem: string) {
    super(line === null ? `${file}: ${problem}` : `${file}:${line}: ${problem}`);
    this.name = 'CorpusError';
    this.file = file;
    this.line = line;
    this.problem = problem;
  }
}
