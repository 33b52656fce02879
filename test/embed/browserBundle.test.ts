/**
 * The browser build: lib/embed/browser.ts bundles for `platform: 'browser'` (esbuild refuses Node
 * built-ins there), the bundle holds no Node globals and no run-time code generation (a strict CSP
 * forbids it), it stays small, and it tags exactly like the source API when imported as an ES module.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { tinyModelBytes } from '../helpers/tinyModel.ts';
import { NerTagger } from '../../lib/embed/index.ts';

const entry = fileURLToPath(new URL('../../lib/embed/browser.ts', import.meta.url));

async function bundle(): Promise<string> {
  const result = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true, write: false, logLevel: 'silent' });
  return result.outputFiles[0].text;
}


test('browser bundle: builds for the browser, no Node globals, no eval/new Function, small', async () => {
  const code = await bundle();
  for (const banned of ['process.', 'Buffer.', 'require(', 'new Function', 'eval(']) assert.not.ok(code.includes(banned), `bundle contains ${banned}`);
  const min = code.length, gz = gzipSync(code).length;
  if (process.env.LADTL_TEST_VERBOSE) console.log(`bundle: ${(min / 1024).toFixed(1)} KiB minified, ${(gz / 1024).toFixed(1)} KiB gzip`);
  // A regression guard, not a target: GPU.js or ndarray pulled in by accident would blow it.
  assert.ok(min < 200 * 1024, `bundle is ${min} bytes`);
});

test('browser bundle: imported as an ES module it tags like the source API', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ladtl-bundle-'));
  try {
    const file = join(dir, 'ladtl.browser.mjs');
    writeFileSync(file, await bundle());
    const mod = (await import(pathToFileURL(file).href)) as { NerTagger: typeof NerTagger };
    const bytes = tinyModelBytes(['患', '者', '头', '痛', '三', '天'], 'SIGN', 9);
    const text = '患者头痛三天';
    const fromBundle = mod.NerTagger.fromBytes(bytes).tag(text), fromSource = NerTagger.fromBytes(bytes).tag(text);
    assert.equal(fromBundle.tags, fromSource.tags);
    assert.equal(fromBundle.tokens.map((t) => t.text), Array.from(text));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
