/**
 * The demo page's script (bundled to demo.js by serve.ts / the browser test). Everything runs in a
 * module worker (ladtl.worker.min.js): the page loads the model there, sends text, and renders the
 * entities it gets back, so the page never blocks. No inline script or style: the page works under
 * `Content-Security-Policy: default-src 'self'` (plus 'wasm-unsafe-eval' for the fast matmul).
 *
 * The model URL is `?model=...` (default `model.ladtl` next to the page). The status line reports
 * the time from page start to the first tagged text, and a throughput figure (sentences/s in the
 * worker over a batch of 200 copies of the text).
 *
 * Adapting: the user types a few sentences with entities marked as [text|Type]; the worker runs
 * La-DTL with the loaded model as the source domain (its source sentences are the sample kept in the
 * model file, or a CoNLL file named by `?source=...`) for `?epochs=` epochs (default 10), reporting
 * progress after every step, and later tags use the adapted model.
 */
import { createTaggerWorker, type TagResult } from '../../lib/embed/browser.ts';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const status = $('status'), text = $<HTMLTextAreaElement>('text'), button = $<HTMLButtonElement>('tag');
const labelled = $<HTMLTextAreaElement>('labelled'), adapt = $<HTMLButtonElement>('adapt'), progress = $<HTMLProgressElement>('progress'), adaptStatus = $('adapt-status');
const params = new URLSearchParams(location.search);
const worker = createTaggerWorker(new Worker(new URL('./ladtl.worker.min.js', import.meta.url), { type: 'module' }));
const modelUrl = new URL(params.get('model') ?? 'model.ladtl', location.href).href;
const sourceParam = params.get('source');
const source = sourceParam ? { url: new URL(sourceParam, location.href).href } : undefined;
const adaptEpochs = Number(params.get('epochs') ?? 10);
const started = performance.now();

function render(result: TagResult, source: string): void {
  const marked = $('marked'), list = $('entities');
  marked.replaceChildren();
  list.replaceChildren();
  let at = 0;
  for (const e of result.entities) {
    marked.append(source.slice(at, e.start));
    const m = document.createElement('mark');
    m.dataset.type = e.type;
    m.textContent = e.text;
    const t = document.createElement('span');
    t.className = 'entity-type';
    t.textContent = e.type;
    m.append(t);
    marked.append(m);
    at = e.end;
    const li = document.createElement('li');
    li.dataset.type = e.type;
    li.dataset.start = String(e.start);
    li.dataset.end = String(e.end);
    li.textContent = `${e.type}: ${e.text} [${e.start}, ${e.end}) confidence ${e.confidence.toFixed(3)}`;
    list.append(li);
  }
  marked.append(source.slice(at));
}

async function tagNow(): Promise<void> {
  const source = text.value;
  render(await worker.tag(source), source);
}

async function main(): Promise<void> {
  const info = await worker.load(modelUrl);
  await tagNow();
  const firstTagMs = performance.now() - started;
  const batch = Array.from({ length: 200 }, () => text.value);
  const t0 = performance.now();
  await worker.tagMany(batch);
  const perSecond = batch.length / ((performance.now() - t0) / 1000);
  status.textContent = `model ${modelUrl.split('/').pop()} (${info.entityTypes.join(', ')}; ${info.tokenizeMode}); first tag after ${firstTagMs.toFixed(0)} ms; ${perSecond.toFixed(0)} sentences/s in the worker`;
  status.dataset.firstTagMs = firstTagMs.toFixed(1);
  status.dataset.sentencesPerSecond = perSecond.toFixed(1);
  status.dataset.ready = 'true';
  button.disabled = false;
  button.addEventListener('click', () => void tagNow());
  adapt.disabled = false;
  adapt.addEventListener('click', () => void adaptNow());
}

async function adaptNow(): Promise<void> {
  adapt.disabled = true;
  adaptStatus.textContent = 'adapting…';
  const t0 = performance.now();
  try {
    const record = await worker.fineTune({ marked: labelled.value, source, options: { epochs: adaptEpochs } }, (p) => {
      progress.value = ((p.epoch - 1) * p.steps + p.step) / (p.epochs * p.steps);
      adaptStatus.textContent = `epoch ${p.epoch}/${p.epochs}, step ${p.step}/${p.steps}, loss ${p.loss.toFixed(3)}`;
    });
    progress.value = 1;
    adaptStatus.textContent = `adapted on ${String(record.targetSentences)} sentences (${String(record.sourceSentences)} source) in ${((performance.now() - t0) / 1000).toFixed(1)} s; tagging now uses the adapted model`;
    adaptStatus.dataset.adapted = 'true';
    await tagNow();
  } catch (e) {
    adaptStatus.textContent = `error: ${e instanceof Error ? e.message : String(e)}`;
    adaptStatus.dataset.error = 'true';
  } finally {
    adapt.disabled = false;
  }
}

main().catch((e: unknown) => {
  status.textContent = `error: ${e instanceof Error ? e.message : String(e)}`;
  status.dataset.error = 'true';
});
