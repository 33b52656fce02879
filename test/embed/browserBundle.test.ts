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
import { NerTagger } from '../../lib/embed/index.ts';
import { encodeTagger } from '../../lib/io/index.ts';
import { Tagger } from '../../lib/nn/index.ts';
import { LabelSet, Vocabulary } from '../../lib/data/index.ts';
import { Rng } from '../../lib/tensor/index.ts';

const entry = fileURLToPath(new URL('../../lib/embed/browser.ts', import.meta.url));

async function bundle(): Promise<string> {
  const result = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true, write: false, logLevel: 'silent' });
  return result.outputFiles[0].text;
}

/** A small untrained model: enough to compare two code paths on the same weights. */
function smallModelBytes(): Uint8Array {
  const words = Vocabulary.fromTokens(['患', '者', '头', '痛', '三', '天'], { kind: 'word', minCount: 1 });
  const labels = new LabelSet(['SIGN'], 'BIO');
  const tagger = new Tagger({
    encoder: { wordVocabularySize: words.size, wordDim: 8, char: 'none', charVocabularySize: 0, charDim: 4, charSize: 4, hidden: 6, dropout: 0 },
    labels: [...labels.tags], scheme: 'BIO', constrained: true, boundary: true,
  }, new Rng(9));
  return encodeTagger(tagger, { words, chars: null, labels });
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
    const bytes = smallModelBytes();
    const text = '患者头痛三天';
    const fromBundle = mod.NerTagger.fromBytes(bytes).tag(text), fromSource = NerTagger.fromBytes(bytes).tag(text);
    assert.equal(fromBundle.tags, fromSource.tags);
    assert.equal(fromBundle.tokens.map((t) => t.text), Array.from(text));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
