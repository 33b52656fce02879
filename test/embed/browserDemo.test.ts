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
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startDemoServer } from '../../examples/06-browser-demo/serve.ts';
import { NerTagger } from '../../lib/embed/index.ts';
import { syntheticModel } from '../helpers/syntheticModel.ts';
import { tinyModelBytes } from '../helpers/tinyModel.ts';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(executablePath);
const TEXT = 'The patient has breast cancer and was treated with aspirin .';

/** Serves the demo with `model`, opens a fresh Chromium page on it (not yet navigated), runs `fn`, cleans up. */
async function withDemoPage(model: Uint8Array, allowWasm: boolean, fn: (page: Page, url: string, profile: string) => Promise<void>): Promise<void> {
  const { server, url } = await startDemoServer({ model, allowWasm });
  const profile = mkdtempSync(join(tmpdir(), 'ladtl-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath, headless: true,
    args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    await fn(await context.newPage(), url, profile);
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

for (const allowWasm of [true, false]) {
  const name = `browser demo page (Chromium, strict CSP${allowWasm ? " + 'wasm-unsafe-eval'" : ', no WebAssembly'}): model loads in a worker, entities shown as in Node`;
  (available ? test : test.skip)(available ? name : `${name} — skipped: no Chromium at ${executablePath}`, async () => {
    const { bytes } = syntheticModel();
    const want = NerTagger.fromBytes(bytes).tag(TEXT).entities;
    // Adapting uses the source sample kept in the model file.
    const violations: string[] = [], errors: string[] = [];
    await withDemoPage(bytes, allowWasm, async (page, url, profile) => {
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
      assert.is(await page.inputValue('#text'), TEXT, 'the English default text for a word-level model');
      assert.is(await page.locator('#load-progress').getAttribute('data-done'), 'true');
      assert.ok(await page.locator('#load-progress').isHidden(), 'the loading bar goes once the model is ready');
      // One colour per entity type, with a legend.
      const legend = await page.locator('#legend li').evaluateAll((lis) => lis.map((li) => [(li as HTMLElement).dataset.type, li.className]));
      assert.equal(legend.map(([t]) => t).sort(), ['Disease', 'Drug']);
      assert.is(new Set(legend.map(([, c]) => c)).size, 2, 'each type its own colour');
      const marks = await page.locator('mark').evaluateAll((ms) => ms.map((m) => [(m as HTMLElement).dataset.type, m.className]));
      for (const [type, cls] of marks) assert.is(cls, legend.find(([t]) => t === type)![1], `mark of ${type} in its legend colour`);
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
      // Entities as the page lists them, confidence included: the adapted model gives the same span
      // here as the loaded one, but not the same confidence, so these lines tell the models apart.
      const tagsNow = async (): Promise<string[]> => page.locator('#entities li').evaluateAll((lis) => lis.map((li) => li.textContent ?? ''));
      const listed = (entities: { type: string; text: string; start: number; end: number; confidence: number }[]): string[] => entities.map((e) => `${e.type}: ${e.text} [${e.start}, ${e.end}) confidence ${e.confidence.toFixed(3)}`);
      const adaptedLines = await tagsNow();
      if (allowWasm) {
        // Download: the adapted model file, which tags in Node as it did on the page.
        const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
        const file = join(profile, 'adapted.ladtl');
        await download.saveAs(file);
        assert.equal(listed(NerTagger.fromBytes(readFileSync(file)).tag('daily metformin took she').entities), adaptedLines);
        // Reset: back to the loaded model.
        const original = listed(NerTagger.fromBytes(bytes).tag('daily metformin took she').entities);
        assert.not.equal(original, adaptedLines, 'the probe tells the loaded and the adapted model apart');
        await page.click('#reset');
        await page.waitForSelector('#adapt-status[data-reset]');
        assert.equal(await tagsNow(), original, 'reset tags with the loaded model');
        // Cancel a long adaptation midway: the worker is replaced and the model is as before.
        await page.fill('#adapt-epochs', '5000');
        await page.click('#adapt');
        await page.waitForSelector('#adapt-status[data-running]', { timeout: 60_000 });
        await page.click('#cancel');
        await page.waitForSelector('#adapt-status[data-cancelled], #adapt-status[data-error]', { timeout: 60_000 });
        assert.not.ok(await page.locator('#adapt-status[data-error]').count(), `cancel error: ${await page.locator('#adapt-status').textContent()}`);
        await page.click('#tag');
        await page.waitForFunction(() => document.querySelector('#marked')?.textContent?.startsWith('daily'));
        assert.equal(await tagsNow(), original, 'after cancel the model is the one before Adapt');
        // An error is styled as one, and no progress bar stays up under it.
        await page.fill('#adapt-epochs', '2');
        await page.fill('#labelled', 'a [b|Chemical]');
        await page.click('#adapt');
        await page.waitForSelector('#adapt-status.error', { timeout: 60_000 });
        assert.match(await page.locator('#adapt-status').textContent() ?? '', /Chemical/);
        assert.ok(await page.locator('#progress').isHidden(), 'no progress bar under an error');
      }
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
    });
  });
}

(available ? test : test.skip)('browser demo page: a character-level (Chinese) model gets Chinese default text', async () => {
  const bytes = tinyModelBytes(Array.from('患者于入院后行胸部CT检查'), 'CHECK', 3);
  await withDemoPage(bytes, true, async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('#status[data-ready], #status[data-error]', { timeout: 60_000 });
    const value = await page.inputValue('#text');
    assert.match(value, /^患者/);
    assert.is(await page.locator('#text').getAttribute('lang'), 'zh');
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/browser-demo-chinese.png', fullPage: true });
  });
});

test.run();
