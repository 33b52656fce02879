/**
 * The package as its users get it (issue 14): `npm pack` (which builds dist/ through prepack), the
 * tarball installed into a fresh project, then
 *   (a) plain `node` imports `ladtl` (ESM, and `require` through Node's require(esm)) and tags with
 *       a small model exactly like the sources do;
 *   (b) `tsc` with a strict `nodenext` configuration type-checks a file using the public API, and
 *       rejects one that misuses it (so the types are real, not `any`);
 *   (c) esbuild bundles the browser entry `ladtl/embed` for the browser;
 *   (d) the installed `ladtl` bin runs `tag`.
 * It also checks that the default install carries no gpu.js, no native build and no tsx, and writes
 * the tarball and install sizes to test-artifacts/package-sizes.json.
 *
 * Needs npm and the registry (or npm's cache) for the package's one dependency, ndarray.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { tinyModelBytes } from '../helpers/tinyModel.ts';
import { NerTagger } from '../../lib/embed/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const work = mkdtempSync(join(tmpdir(), 'ladtl-consumer-'));
const project = join(work, 'project');
const tokens = ['the', 'patient', 'has', 'breast', 'cancer', '.'];
const text = 'the patient has breast cancer .';

function sh(command: string, args: string[], cwd: string): string {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error' } });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function diskUsage(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) bytes += diskUsage(path);
    else if (entry.isFile()) bytes += statSync(path).size;
  }
  return bytes;
}

let tarball = '';
const sizes: Record<string, number> = {};

test.before(() => {
  const packed = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', work], root)) as { filename: string; size: number; unpackedSize: number; entryCount: number }[];
  tarball = join(work, packed[0].filename);
  Object.assign(sizes, { tarballBytes: packed[0].size, unpackedBytes: packed[0].unpackedSize, files: packed[0].entryCount });
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], project);
  sizes.installBytes = diskUsage(join(project, 'node_modules'));
  writeFileSync(join(project, 'model.ladtl'), tinyModelBytes(tokens, 'DISEASE', 5));
  mkdirSync(join(root, 'test-artifacts'), { recursive: true });
  writeFileSync(join(root, 'test-artifacts/package-sizes.json'), JSON.stringify(sizes, null, 2) + '\n');
  if (process.env.LADTL_TEST_VERBOSE) console.log(sizes);
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test('the default install is light: ladtl and ndarray only, no gpu.js, no tsx, no native build', () => {
  const installed = readdirSync(join(project, 'node_modules')).filter((n) => !n.startsWith('.'));
  for (const heavy of ['gpu.js', 'gl', 'webgpu', 'tsx', 'esbuild', 'typescript', 'vega']) assert.not.ok(installed.includes(heavy), `${heavy} installed`);
  assert.ok(installed.includes('ndarray'));
  const pkg = join(project, 'node_modules/ladtl');
  for (const f of ['LICENSE', 'README.md', 'dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/lib/index.js.map', 'dist/browser/ladtl.browser.min.js']) assert.ok(existsSync(join(pkg, f)), f);
  assert.not.ok(existsSync(join(pkg, 'lib')), 'TypeScript sources are not shipped');
  assert.ok(sizes.installBytes < 8 * 1024 * 1024, `install is ${sizes.installBytes} bytes`);
});

test('(a) plain node imports ladtl (import and require) and tags like the sources', () => {
  writeFileSync(join(project, 'tag.mjs'), [
    "import { readFileSync } from 'node:fs';",
    "import { NerTagger, Tensor, ops, labelAwareMmd, METHODS } from 'ladtl';",
    "import { readCorpusFile } from 'ladtl/node';",
    "if (typeof Tensor !== 'function' || typeof ops.matmul !== 'function' || typeof labelAwareMmd !== 'function' || !METHODS['la-dtl'] || typeof readCorpusFile !== 'function') throw new Error('missing exports');",
    "const tagger = NerTagger.fromBytes(readFileSync('model.ladtl'));",
    `console.log(JSON.stringify(tagger.tag(${JSON.stringify(text)})));`,
  ].join('\n'));
  const result = JSON.parse(execFileSync(process.execPath, ['tag.mjs'], { cwd: project, encoding: 'utf8' }));
  const expected = NerTagger.fromBytes(tinyModelBytes(tokens, 'DISEASE', 5)).tag(text);
  assert.equal(result, JSON.parse(JSON.stringify(expected)));
  writeFileSync(join(project, 'require.cjs'), "const { NerTagger } = require('ladtl'); console.log(typeof NerTagger.fromBytes);");
  assert.is(execFileSync(process.execPath, ['require.cjs'], { cwd: project, encoding: 'utf8' }).trim(), 'function');
});

test('(b) tsc (strict, nodenext) type-checks a file using the public API and rejects a misuse', () => {
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true,
      noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, lib: ['es2022', 'dom'], types: [],
    },
    files: ['use.ts'],
  }));
  writeFileSync(join(project, 'use.ts'), [
    "import { NerTagger, type TagResult, type TaggedEntity, Rng, Tagger, LabelSet, Vocabulary, METHODS, type MethodName } from 'ladtl';",
    "import { NerTagger as EmbedTagger } from 'ladtl/embed';",
    "export function firstEntity(bytes: Uint8Array): TaggedEntity | undefined {",
    "  const result: TagResult = NerTagger.fromBytes(bytes).tag('a b c');",
    "  return result.entities[0];",
    "}",
    "export const method: MethodName = 'la-dtl';",
    "export const spec = METHODS[method];",
    "export const labels = new LabelSet(['DISEASE'], 'BIO');",
    "export const words = Vocabulary.fromTokens(['a'], { kind: 'word', minCount: 1 });",
    "export const seeded = new Rng(1);",
    "export type T = Tagger;",
    "export const same: typeof NerTagger.fromBytes = EmbedTagger.fromBytes;",
  ].join('\n'));
  sh(process.execPath, [tsc, '-p', '.'], project);
  writeFileSync(join(project, 'misuse.ts'), "import { NerTagger } from 'ladtl';\nexport const n: number = NerTagger.fromBytes(new Uint8Array()).tag(42);\n");
  writeFileSync(join(project, 'tsconfig.misuse.json'), JSON.stringify({ extends: './tsconfig.json', files: ['misuse.ts'] }));
  // --pretty false: the plain 'file(line,col): error' form whatever FORCE_COLOR or the terminal says.
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.misuse.json', '--pretty', 'false'], { cwd: project, encoding: 'utf8' });
  assert.is.not(r.status, 0, 'a misuse of the API type-checks');
  assert.match(r.stdout, /misuse\.ts\(2,\d+\): error TS(2322|2345)/, r.stdout);
});

test('(c) esbuild bundles the browser entry ladtl/embed for the browser', async () => {
  writeFileSync(join(project, 'page.js'), "import { NerTagger, tokenizeText } from 'ladtl/embed';\nexport { NerTagger, tokenizeText };\n");
  const result = await build({ entryPoints: [join(project, 'page.js')], absWorkingDir: project, bundle: true, format: 'esm', platform: 'browser', write: false, metafile: true, logLevel: 'silent' });
  const inputs = Object.keys(result.metafile.inputs);
  assert.ok(inputs.some((f) => f.startsWith('node_modules/ladtl/dist/lib/embed/')), inputs.join('\n'));
  assert.not.ok(inputs.some((f) => /node_modules\/(gpu\.js|ndarray)\//.test(f)), 'gpu.js or ndarray bundled');
  assert.ok(result.outputFiles[0].text.includes('fromBytes'));
});

test('(d) the installed ladtl bin runs tag', () => {
  writeFileSync(join(project, 'input.txt'), `${text}\n`);
  const out = execFileSync(join(project, 'node_modules/.bin/ladtl'), ['tag', '--model', 'model.ladtl', '--input', 'input.txt', '--format', 'json'], { cwd: project, encoding: 'utf8' });
  const line = JSON.parse(out.trim()) as { tokens: { text: string }[] };
  assert.equal(line.tokens.map((t) => t.text), tokens);
  assert.match(execFileSync(join(project, 'node_modules/.bin/ladtl'), ['--version'], { cwd: project, encoding: 'utf8' }), /^\d+\.\d+\.\d+/);
});

test.run();
