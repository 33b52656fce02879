/**
 * lib/data must run in a browser: it imports nothing of ours outside lib/data and no Node module,
 * except the Node helpers node*.ts (nodeFiles.ts, nodeLineStream.ts), which index.ts must not export.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../lib/data/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

const isNodeHelper = (file: string): boolean => /^node[A-Z][A-Za-z0-9]*\.ts$/.test(file);

/** Module specifiers of static imports/exports and dynamic imports in a source text. */
function specifiers(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/^\s*(?:import|export)\b[^'";]*?from\s*['"]([^'"]+)['"]/gm)) out.push(m[1]);
  for (const m of source.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) out.push(m[1]);
  for (const m of source.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]/g)) out.push(m[1]);
  return out;
}

test('the checker finds imports', () => {
  assert.equal(specifiers("import { a } from './a.ts';\nexport { b } from \"node:fs\";\nimport type {\n  C,\n} from '../x.ts';"), ['./a.ts', 'node:fs', '../x.ts']);
});

test('lib/data files import only sibling files (the node*.ts helpers may also import node:fs)', () => {
  assert.ok(files.length >= 10, files.join(', '));
  for (const f of files) {
    const source = readFileSync(dir + f, 'utf8');
    for (const s of specifiers(source)) {
      const ok = /^\.\/[A-Za-z0-9]+\.ts$/.test(s) || (isNodeHelper(f) && s === 'node:fs');
      assert.ok(ok, `${f} imports "${s}"`);
    }
    if (!isNodeHelper(f)) {
      assert.not.ok(/\b(process|Buffer|require)\s*[.(]/.test(source), `${f} uses process/Buffer/require`);
    }
  }
  const exported = specifiers(readFileSync(dir + 'index.ts', 'utf8')).filter((s) => isNodeHelper(s.slice(2)));
  assert.equal(exported, [], 'index.ts exports a Node helper');
});

test.run();
