/**
 * A generated block inside a hand-written markdown document (docs/results.md): the lines between
 * `<!-- ladtl report KEY: begin -->` and the next `<!-- ladtl report: end -->` belong to
 * `ladtl report --markdown`, which replaces them with the experiment's current table, summary and
 * figure links; everything around them is the document's own. So the document and the stored runs
 * cannot drift apart: regenerating is one command.
 */

/**
 * The folder list of `ladtl report --out` as a block key: `\` as `/`, no leading `./` or trailing `/`
 * on each folder, so `runs/x/`, `./runs/x` and `runs\x` name the block of `runs/x`.
 */
export function reportBlockKey(out: string): string {
  return out.split(',').map((d) => d.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+$/, '')).join(',');
}

/** The marker lines of the block of the experiment folder(s) `key` (see {@link reportBlockKey}). */
export function reportBlockMarkers(key: string): { begin: string; end: string } {
  return { begin: `<!-- ladtl report ${reportBlockKey(key)}: begin -->`, end: '<!-- ladtl report: end -->' };
}

const ANY_BEGIN = /^<!-- ladtl report .*: begin -->$/;

/**
 * `text` with the block of `key` replaced by `content`, in the document's line endings (CRLF if it
 * uses them).
 * @throws Error naming `file` and lines when the block is missing, present twice, or not closed
 *   before the next block begins (which would otherwise be swallowed).
 */
export function replaceReportBlock(text: string, key: string, content: string, file: string): string {
  const { begin, end } = reportBlockMarkers(key);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol);
  const starts = lines.flatMap((l, i) => (l.trim() === begin ? [i] : []));
  if (starts.length === 0) throw new Error(`${file} has no line "${begin}": add it and a line "${end}" where the tables of ${reportBlockKey(key)} go`);
  if (starts.length > 1) throw new Error(`${file}:${starts[1] + 1}: a second "${begin}" (the first is on line ${starts[0] + 1})`);
  const start = starts[0];
  let stop = -1;
  for (let i = start + 1; i < lines.length && stop < 0; i++) {
    const line = lines[i].trim();
    if (line === end) stop = i;
    else if (ANY_BEGIN.test(line)) throw new Error(`${file}:${start + 1}: "${begin}" is not closed by "${end}" before the next block begins on line ${i + 1}`);
  }
  if (stop < 0) throw new Error(`${file}:${start + 1}: "${begin}" has no "${end}" after it`);
  const body = content.replace(/\n+$/, '').split('\n');
  return [...lines.slice(0, start + 1), ...body, ...lines.slice(stop)].join(eol);
}
