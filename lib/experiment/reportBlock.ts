/**
 * A generated block inside a hand-written markdown document (docs/results.md): the lines between
 * `<!-- ladtl report KEY: begin -->` and the next `<!-- ladtl report: end -->` belong to
 * `ladtl report --markdown`, which replaces them with the experiment's current table, summary and
 * figure links; everything around them is the document's own. So the document and the stored runs
 * cannot drift apart: regenerating is one command.
 */

/** The marker lines of the block of the experiment folder `key` (as given to `ladtl report --out`). */
export function reportBlockMarkers(key: string): { begin: string; end: string } {
  return { begin: `<!-- ladtl report ${key}: begin -->`, end: '<!-- ladtl report: end -->' };
}

/**
 * `text` with the block of `key` replaced by `content`.
 * @throws Error naming `file` (and the line of a begin marker without its end) when the block is
 *   missing, unterminated or present twice.
 */
export function replaceReportBlock(text: string, key: string, content: string, file: string): string {
  const { begin, end } = reportBlockMarkers(key);
  const lines = text.split('\n');
  const starts = lines.flatMap((l, i) => (l.trim() === begin ? [i] : []));
  if (starts.length === 0) throw new Error(`${file} has no line "${begin}": add it and a line "${end}" where the tables of ${key} go`);
  if (starts.length > 1) throw new Error(`${file}:${starts[1] + 1}: a second "${begin}" (the first is on line ${starts[0] + 1})`);
  const start = starts[0];
  const stop = lines.findIndex((l, i) => i > start && l.trim() === end);
  if (stop < 0) throw new Error(`${file}:${start + 1}: "${begin}" has no "${end}" after it`);
  const body = content.replace(/\n+$/, '');
  return [...lines.slice(0, start + 1), body, ...lines.slice(stop)].join('\n');
}
