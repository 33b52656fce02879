/**
 * The demo page's script (bundled to demo.js by serve.ts / the browser test). Everything runs in a
 * module worker (ladtl.worker.min.js): the page fetches the model (showing its progress), hands the
 * bytes to the worker, sends text, and renders the entities it gets back, so the page never
 * blocks. No inline script or style: the page works under `Content-Security-Policy: default-src
 * 'self'` (plus 'wasm-unsafe-eval' for the fast matmul).
 *
 * The model URL is `?model=...` (default `model.ladtl` next to the page). The text to tag starts in
 * the model's language: Chinese for a character-level model, English otherwise. Each entity type
 * has its colour (in the order of the model's types), shown in a legend. The status line reports the
 * time from page start to the first tagged text, and a throughput figure (sentences/s in the worker
 * over a batch of 200 copies of the text).
 *
 * Adapting: the user types a few sentences with entities marked as [text|Type]; the worker runs
 * La-DTL with the loaded model as the source domain (its source sentences are the sample kept in the
 * model file, or a CoNLL file named by `?source=...`) for the chosen epochs, reporting progress after
 * every step; later tags use the adapted model. Fine-tuning runs synchronously inside the worker, so
 * Cancel ends that worker and starts a fresh one with the model as it was before; Reset goes back to
 * the model the page loaded; Download saves the adapted model file (`ladtl tag --model` reads it).
 */
import { createTaggerWorker, type TagResult, type TaggerWorkerClient } from '../../lib/embed/browser.ts';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const status = $('status'), loadProgress = $<HTMLProgressElement>('load-progress');
const text = $<HTMLTextAreaElement>('text'), button = $<HTMLButtonElement>('tag');
const labelled = $<HTMLTextAreaElement>('labelled'), epochsInput = $<HTMLInputElement>('adapt-epochs');
const adapt = $<HTMLButtonElement>('adapt'), cancel = $<HTMLButtonElement>('cancel'), reset = $<HTMLButtonElement>('reset'), download = $<HTMLButtonElement>('download');
const progress = $<HTMLProgressElement>('progress'), adaptStatus = $('adapt-status');
const params = new URLSearchParams(location.search);
const modelUrl = new URL(params.get('model') ?? 'model.ladtl', location.href).href;
const sourceParam = params.get('source');
const source = sourceParam ? { url: new URL(sourceParam, location.href).href } : undefined;
if (params.has('epochs')) epochsInput.value = params.get('epochs')!;
const started = performance.now();

/** Default text in the model's language (the model says whether it reads characters or words). */
const DEFAULT_TEXT: Record<string, string> = {
  chars: '患者于入院后行胸部CT检查，提示右肺下叶炎症，予头孢呋辛抗感染治疗。',
  words: 'The patient has breast cancer and was treated with aspirin .',
};

let worker: TaggerWorkerClient;
let rawWorker: Worker;
let entityTypes: string[] = [];
/** The model as loaded, and the model the worker holds now (after the last finished adaptation). */
let loadedBytes: Uint8Array;
let currentBytes: Uint8Array;

function startWorker(): void {
  rawWorker = new Worker(new URL('./ladtl.worker.min.js', import.meta.url), { type: 'module' });
  worker = createTaggerWorker(rawWorker);
}

function typeClass(type: string): string {
  const i = entityTypes.indexOf(type);
  return `type-${(i < 0 ? entityTypes.length : i) % 8}`;
}

function showError(element: HTMLElement, e: unknown): void {
  element.textContent = `error: ${e instanceof Error ? e.message : String(e)}`;
  element.classList.add('error');
  element.dataset.error = 'true';
}

function clearError(element: HTMLElement): void {
  element.classList.remove('error');
  delete element.dataset.error;
}

/** Fetches the model with a progress bar (bytes received of Content-Length, where the server sends it). */
async function fetchModel(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`model ${url}: HTTP ${response.status} ${response.statusText}`);
  const total = Number(response.headers.get('content-length') ?? 0);
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    chunks.push(r.value);
    received += r.value.length;
    if (total > 0) loadProgress.value = received / total;
    status.textContent = `loading the model: ${(received / 1e6).toFixed(1)}${total > 0 ? ` of ${(total / 1e6).toFixed(1)}` : ''} MB`;
  }
  const bytes = new Uint8Array(received);
  let at = 0;
  for (const c of chunks) { bytes.set(c, at); at += c.length; }
  loadProgress.value = 1;
  loadProgress.dataset.done = 'true';
  return bytes;
}

function renderLegend(): void {
  const legend = $('legend');
  legend.replaceChildren(...entityTypes.map((type) => {
    const li = document.createElement('li');
    li.className = typeClass(type);
    li.dataset.type = type;
    li.textContent = type;
    return li;
  }));
}

function render(result: TagResult, source: string): void {
  const marked = $('marked'), list = $('entities');
  marked.replaceChildren();
  list.replaceChildren();
  let at = 0;
  for (const e of result.entities) {
    marked.append(source.slice(at, e.start));
    const m = document.createElement('mark');
    m.dataset.type = e.type;
    m.className = typeClass(e.type);
    m.textContent = e.text;
    const t = document.createElement('span');
    t.className = 'entity-type';
    t.textContent = e.type;
    m.append(t);
    marked.append(m);
    at = e.end;
    const li = document.createElement('li');
    li.className = typeClass(e.type);
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
  startWorker();
  loadedBytes = await fetchModel(modelUrl);
  currentBytes = loadedBytes;
  status.textContent = 'preparing the model…';
  const info = await worker.load(loadedBytes);
  entityTypes = info.entityTypes;
  renderLegend();
  if (text.value.trim() === '') text.value = params.get('text') ?? DEFAULT_TEXT[info.tokenizeMode] ?? DEFAULT_TEXT.words;
  text.lang = info.tokenizeMode === 'chars' ? 'zh' : 'en';
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
  loadProgress.hidden = true;
  button.disabled = false;
  button.addEventListener('click', () => void tagNow().catch((e: unknown) => showError(status, e)));
  adapt.disabled = false;
  adapt.addEventListener('click', () => void adaptNow());
  cancel.addEventListener('click', () => void cancelAdapting());
  reset.addEventListener('click', () => void resetModel());
  download.addEventListener('click', downloadModel);
}

/** Replaces the worker's model (a fresh worker when the old one is busy or gone). */
async function useModel(bytes: Uint8Array, freshWorker: boolean): Promise<void> {
  if (freshWorker) {
    rawWorker.terminate();
    startWorker();
  }
  await worker.load(bytes);
  currentBytes = bytes;
  await tagNow();
}

let adapting = false;

async function adaptNow(): Promise<void> {
  adapting = true;
  adapt.disabled = true;
  cancel.disabled = false;
  reset.disabled = true;
  download.disabled = true;
  clearError(adaptStatus);
  delete adaptStatus.dataset.adapted;
  delete adaptStatus.dataset.cancelled;
  adaptStatus.textContent = 'adapting…';
  progress.hidden = false;
  progress.value = 0;
  const t0 = performance.now();
  const epochs = Number(epochsInput.value);
  try {
    if (!(Number.isInteger(epochs) && epochs >= 1)) throw new Error(`epochs must be a whole number >= 1, got "${epochsInput.value}"`);
    const record = await worker.fineTune({ marked: labelled.value, source, options: { epochs } }, (p) => {
      progress.value = ((p.epoch - 1) * p.steps + p.step) / (p.epochs * p.steps);
      adaptStatus.textContent = `epoch ${p.epoch}/${p.epochs}, step ${p.step}/${p.steps}, loss ${p.loss.toFixed(3)}`;
      adaptStatus.dataset.running = 'true';
    });
    progress.value = 1;
    currentBytes = await worker.save();
    adaptStatus.textContent = `adapted on ${String(record.targetSentences)} sentences (${String(record.sourceSentences)} source) in ${((performance.now() - t0) / 1000).toFixed(1)} s; tagging now uses the adapted model`;
    adaptStatus.dataset.adapted = 'true';
    download.disabled = false;
    await tagNow();
  } catch (e) {
    if (!adapting) return; // cancelled: cancelAdapting() has said so
    progress.hidden = true;
    showError(adaptStatus, e);
  } finally {
    if (adapting) {
      adapting = false;
      adapt.disabled = false;
      cancel.disabled = true;
      reset.disabled = false;
      delete adaptStatus.dataset.running;
    }
  }
}

async function cancelAdapting(): Promise<void> {
  if (!adapting) return;
  adapting = false;
  cancel.disabled = true;
  progress.hidden = true;
  adaptStatus.textContent = 'cancelling…';
  delete adaptStatus.dataset.running;
  try {
    await useModel(currentBytes, true);
    adaptStatus.textContent = 'cancelled: the model is as it was before Adapt';
    adaptStatus.dataset.cancelled = 'true';
  } catch (e) {
    showError(adaptStatus, e);
  } finally {
    adapt.disabled = false;
    reset.disabled = false;
    download.disabled = currentBytes === loadedBytes;
  }
}

async function resetModel(): Promise<void> {
  reset.disabled = true;
  try {
    await useModel(loadedBytes, false);
    clearError(adaptStatus);
    delete adaptStatus.dataset.adapted;
    adaptStatus.textContent = 'reset: tagging uses the loaded model again';
    adaptStatus.dataset.reset = 'true';
    progress.hidden = true;
    download.disabled = true;
  } catch (e) {
    showError(adaptStatus, e);
  } finally {
    reset.disabled = false;
  }
}

function downloadModel(): void {
  const url = URL.createObjectURL(new Blob([currentBytes as BlobPart], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `adapted-${modelUrl.split('/').pop() ?? 'model.ladtl'}`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

main().catch((e: unknown) => {
  loadProgress.hidden = true;
  showError(status, e);
});
