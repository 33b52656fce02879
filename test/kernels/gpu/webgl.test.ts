/**
 * The GPU.js kernels in a real browser: the twin checks of twinCases.ts (same shapes, same
 * tolerances as in Node) run in headless Chromium with GPU.js in its WebGL2 and WebGL modes
 * (SwiftShader, i.e. software, here). GPU.js is loaded from its own browser build
 * (gpu.js/dist/gpu-browser.min.js); our kernels are bundled with esbuild, `gpu.js` resolved to that
 * global. Skipped, saying so, where no Chromium is installed (CHROMIUM_PATH, or /usr/bin/chromium).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { build } from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { TwinOutcome } from './twinCases.ts';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(executablePath);
const name = 'GPU.js kernels = CPU twins in headless Chromium (webgl2 and webgl modes)';

(available ? test : test.skip)(available ? name : `${name} — skipped: no Chromium at ${executablePath}`, async () => {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./browser/webglPage.ts', import.meta.url))],
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent',
    plugins: [{
      name: 'gpu.js-global',
      setup(b) {
        b.onResolve({ filter: /^gpu\.js$/ }, () => ({ path: 'gpu.js', namespace: 'gpu-global' }));
        b.onLoad({ filter: /.*/, namespace: 'gpu-global' }, () => ({ contents: 'export const GPU = globalThis.GPU;', loader: 'js' }));
      },
    }],
  });
  const gpuBrowser = readFileSync(createRequire(import.meta.url).resolve('gpu.js/dist/gpu-browser.min.js'));
  const files: Record<string, [string, string | Uint8Array]> = {
    '/': ['text/html', '<!doctype html><meta charset="utf-8"><script src="/gpu.js"></script><script type="module" src="/page.js"></script>'],
    '/gpu.js': ['text/javascript', gpuBrowser],
    '/page.js': ['text/javascript', bundle.outputFiles[0].contents],
  };
  const server = createServer((req, res) => {
    const f = files[req.url ?? '/'];
    if (!f) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': f[0] }).end(f[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const profile = mkdtempSync(join(tmpdir(), 'ladtl-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: ['--no-sandbox', '--no-first-run', '--disable-background-networking'] });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The checks run inside the page's module script, which delays the load event by their whole
    // duration (tens of seconds on SwiftShader): wait for the response only, then for the results.
    await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: 'commit' });
    await page.waitForFunction(() => (globalThis as unknown as { __twinResults?: unknown }).__twinResults !== undefined, undefined, { timeout: 300_000 });
    assert.equal(errors, [], 'page errors');
    const results = await page.evaluate(() => (globalThis as unknown as { __twinResults: TwinOutcome[] }).__twinResults);
    if (process.env.LADTL_TEST_VERBOSE) for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.ms.toFixed(0)} ms)${r.error ? `: ${r.error}` : ''}`);
    const modes = new Set(results.map((r) => r.mode));
    assert.ok(modes.has('webgl2'), `modes run: ${[...modes].join(', ')}`);
    const failed = results.filter((r) => !r.ok);
    assert.equal(failed.map((r) => `${r.name}: ${r.error}`), []);
    assert.ok(results.length >= 12, `${results.length} checks ran`);
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test.run();
