/**
 * The demo page (examples/06-browser-demo) in a real headless Chromium (Debian's `chromium` driven
 * by playwright-core, no browser download): it loads a model in a web worker, tags the text, shows
 * the entities, then adapts the model with La-DTL in the worker from three sentences typed with
 * [text|Type] markup (progress bar to the end) and tags with the adapted model; all under a strict
 * Content-Security-Policy (no inline script, no eval), with and without 'wasm-unsafe-eval'. The
 * entities before adapting must equal what the same model gives in Node. A screenshot is kept as a
 * test artefact (test-artifacts/browser-demo.png, git-ignored).
 *
 * Skipped, saying so, where no Chromium is installed (CHROMIUM_PATH, or /usr/bin/chromium).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startDemoServer } from '../../examples/06-browser-demo/serve.ts';
import { NerTagger } from '../../lib/embed/index.ts';
import { syntheticModel } from '../helpers/syntheticModel.ts';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(executablePath);
const TEXT = 'The patient has breast cancer and was treated with aspirin .';

for (const allowWasm of [true, false]) {
  const name = `browser demo page (Chromium, strict CSP${allowWasm ? " + 'wasm-unsafe-eval'" : ', no WebAssembly'}): model loads in a worker, entities shown as in Node`;
  (available ? test : test.skip)(available ? name : `${name} — skipped: no Chromium at ${executablePath}`, async () => {
    const { bytes } = syntheticModel();
    const want = NerTagger.fromBytes(bytes).tag(TEXT).entities;
    // Adapting uses the source sample kept in the model file.
    const { server, url } = await startDemoServer({ model: bytes, allowWasm });
    const profile = mkdtempSync(join(tmpdir(), 'ladtl-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath, headless: true,
      args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const violations: string[] = [], errors: string[] = [];
    try {
      const page = await context.newPage();
      page.on('console', (m) => { if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text()); });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url);
      await page.waitForSelector('#status[data-ready], #status[data-error]', { timeout: 60_000 });
      const status = await page.locator('#status').textContent();
      assert.not.ok(await page.locator('#status[data-error]').count(), `page error: ${status}`);
      const shown = await page.locator('#entities li').evaluateAll((lis) => lis.map((li) => ({ type: (li as HTMLElement).dataset.type, start: Number((li as HTMLElement).dataset.start), end: Number((li as HTMLElement).dataset.end) })));
      assert.equal(shown, want.map((e) => ({ type: e.type, start: e.start, end: e.end })));
      assert.ok(want.length > 0, 'the model found no entity in the demo text');
      assert.equal(await page.locator('mark').count(), want.length);
      // A second text through the button.
      await page.fill('#text', 'insulin was given daily .');
      await page.click('#tag');
      const second = NerTagger.fromBytes(bytes).tag('insulin was given daily .').entities;
      await page.waitForFunction((n) => document.querySelectorAll('#entities li').length === n && document.querySelector('#marked')?.textContent?.startsWith('insulin'), second.length);
      // Adapt to a "new domain" (reversed word order) from three marked-up sentences, then tag with it.
      await page.fill('#labelled', ['[gastritis|Disease] reported was not', 'daily [metformin|Drug] took she', '[nephritis|Disease] of history no'].join('\n'));
      await page.click('#adapt');
      await page.waitForSelector('#adapt-status[data-adapted], #adapt-status[data-error]', { timeout: 120_000 });
      assert.not.ok(await page.locator('#adapt-status[data-error]').count(), `adapt error: ${await page.locator('#adapt-status').textContent()}`);
      assert.is(await page.locator('#progress').evaluate((el) => (el as HTMLProgressElement).value), 1);
      await page.fill('#text', 'daily metformin took she');
      await page.click('#tag');
      await page.waitForFunction(() => document.querySelector('#marked')?.textContent?.startsWith('daily'));
      const adapted = await page.locator('#entities li').evaluateAll((lis) => lis.map((li) => `${(li as HTMLElement).dataset.type}:${(li as HTMLElement).dataset.start}-${(li as HTMLElement).dataset.end}`));
      assert.equal(adapted, ['Drug:6-15'], 'the adapted model tags the new word order');
      assert.equal(violations, [], 'CSP violations');
      assert.equal(errors, [], 'page errors');
      if (process.env.LADTL_TEST_VERBOSE) {
        const d = await page.locator('#status').evaluate((el) => ({ ...(el as HTMLElement).dataset }));
        console.log(`chromium (wasm ${allowWasm}): first tag after ${d.firstTagMs} ms, ${d.sentencesPerSecond} sentences/s in the worker; ${await page.locator('#adapt-status').textContent()}`);
      }
      if (allowWasm) {
        mkdirSync('test-artifacts', { recursive: true });
        await page.screenshot({ path: 'test-artifacts/browser-demo.png', fullPage: true });
      }
    } finally {
      await context.close();
      server.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
}

test.run();
