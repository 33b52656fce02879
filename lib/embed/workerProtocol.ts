/**
 * Tagging off the main thread: the messages between a page and a worker that holds a
 * {@link NerTagger}. `serveTagger(self)` runs inside the worker (see worker.ts);
 * `createTaggerWorker(worker)` is the page's handle, whose methods return promises, so the page
 * never blocks on a model load or a long batch.
 *
 * Both sides only need `postMessage` and `addEventListener('message')`, which a browser `Worker`, the
 * worker's `self`, and a `MessagePort` (browser or Node) all have; the tests drive the protocol
 * through a Node `MessageChannel`.
 */
import { parseConll, type Sentence } from '../data/index.ts';
import { encodeTagger } from '../io/index.ts';
import { fineTuneLaDtl, type FineTuneOptions } from './fineTune.ts';
import { parseMarkedSentences } from './markup.ts';
import { NerTagger, type TagOptions, type TagResult } from './nerTagger.ts';

/** Progress of a fine-tuning run, as the worker reports it after every step. */
export interface FineTuneProgress {
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  loss: number;
}

/** What the page sends to adapt the model: marked-up target lines and the source sample (CoNLL text or URL). */
export interface FineTuneRequest {
  /** One sentence per line, entities as `[text|Type]` (markup.ts). */
  marked: string;
  /**
   * The model's own domain: CoNLL text (token … tag per line) or a URL to fetch it from; by default
   * the sample kept in the model file.
   */
  source?: { conll: string } | { url: string };
  options?: Pick<FineTuneOptions, 'epochs' | 'learningRate' | 'seed'>;
}

/** What both ends of the channel must offer. */
export interface PortLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  /** MessagePort needs start() when listened to with addEventListener. */
  start?(): void;
}

type RequestBody =
  | { kind: 'load'; model: ArrayBuffer | string }
  | { kind: 'tag'; inputs: (string | string[])[]; options?: TagOptions }
  | ({ kind: 'fineTune' } & FineTuneRequest)
  | { kind: 'save' };
type Request = RequestBody & { id: number };

type Response =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string }
  | { id: number; progress: FineTuneProgress };

/** Answers requests on `port` (call it in the worker with `self`). */
export function serveTagger(port: PortLike): void {
  let tagger: NerTagger | null = null;
  port.addEventListener('message', (event) => {
    const request = event.data as Request;
    const reply = (response: Response): void => port.postMessage(response);
    void (async () => {
      try {
        if (request.kind === 'load') {
          tagger = await NerTagger.load(request.model);
          reply({ id: request.id, ok: true, result: { entityTypes: tagger.entityTypes, tokenizeMode: tagger.tokenizeMode } });
        } else if (request.kind === 'tag') {
          if (!tagger) throw new Error('no model loaded: call load() first');
          reply({ id: request.id, ok: true, result: tagger.tagMany(request.inputs, request.options) });
        } else if (request.kind === 'fineTune') {
          if (!tagger) throw new Error('no model loaded: call load() first');
          const target = parseMarkedSentences(request.marked, tagger.tokenizeMode);
          const source = await sourceSentences(request.source);
          const epochs = request.options?.epochs ?? 20;
          const adapted = fineTuneLaDtl(tagger.model, target, source, {
            ...request.options, epochs,
            onStep: (p) => port.postMessage({ id: request.id, progress: { epoch: p.epoch, epochs, step: p.step, steps: p.stepsInEpoch, loss: p.meanLoss } } satisfies Response),
          });
          tagger = new NerTagger(adapted);
          reply({ id: request.id, ok: true, result: adapted.training.fineTuned });
        } else if (request.kind === 'save') {
          if (!tagger) throw new Error('no model loaded: call load() first');
          const { tagger: t, vocab, training, sample } = tagger.model;
          const bytes = encodeTagger(t, vocab, training, sample);
          port.postMessage({ id: request.id, ok: true, result: bytes } satisfies Response, [bytes.buffer]);
        } else {
          throw new Error(`unknown request ${JSON.stringify((request as { kind?: unknown }).kind)}`);
        }
      } catch (e) {
        reply({ id: request.id, ok: false, error: e instanceof Error ? e.message : String(e) });
      }
    })();
  });
  port.start?.();
}

async function sourceSentences(source: FineTuneRequest['source']): Promise<Sentence[] | undefined> {
  if (!source) return undefined;
  if ('conll' in source) return parseConll(source.conll, { file: '<source sample>' });
  const response = await fetch(source.url);
  if (!response.ok) throw new Error(`source sample ${source.url}: HTTP ${response.status}`);
  return parseConll(await response.text(), { file: source.url });
}

/** The page's handle on a tagging worker. */
export interface TaggerWorkerClient {
  /** Loads a model from bytes (an ArrayBuffer is transferred, leaving it empty on the page; a Uint8Array is copied first) or from a URL the worker fetches. */
  load(model: ArrayBuffer | Uint8Array | string): Promise<{ entityTypes: string[]; tokenizeMode: string }>;
  tag(input: string | string[], options?: TagOptions): Promise<TagResult>;
  tagMany(inputs: (string | string[])[], options?: TagOptions): Promise<TagResult[]>;
  /** Adapts the worker's model with La-DTL (fineTune.ts); later tags use the adapted model. */
  fineTune(request: FineTuneRequest, onProgress?: (p: FineTuneProgress) => void): Promise<Record<string, unknown>>;
  /** The worker's current model (adapted, if it was) as model-file bytes, e.g. to download or reload. */
  save(): Promise<Uint8Array>;
}

/** Wraps a worker (or any {@link PortLike} whose other end runs {@link serveTagger}). */
export function createTaggerWorker(port: PortLike): TaggerWorkerClient {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; progress?: (p: FineTuneProgress) => void }>();
  port.addEventListener('message', (event) => {
    const response = event.data as Response;
    const waiter = pending.get(response.id);
    if (!waiter) return;
    if ('progress' in response) {
      waiter.progress?.(response.progress);
      return;
    }
    pending.delete(response.id);
    if (response.ok) waiter.resolve(response.result);
    else waiter.reject(new Error(response.error));
  });
  port.start?.();
  const call = <T>(request: RequestBody, transfer: Transferable[] = [], progress?: (p: FineTuneProgress) => void): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, progress });
      port.postMessage({ ...request, id }, transfer);
    });
  return {
    load(model) {
      if (typeof model === 'string') return call({ kind: 'load', model });
      // A copy of the bytes in a buffer of their own, transferred (not cloned) to the worker.
      const buffer = model instanceof Uint8Array ? new Uint8Array(model).buffer : model;
      return call({ kind: 'load', model: buffer }, [buffer]);
    },
    tag: async (input, options) => (await call<TagResult[]>({ kind: 'tag', inputs: [input as string | string[]], ...(options ? { options } : {}) }))[0],
    tagMany: (inputs, options) => call<TagResult[]>({ kind: 'tag', inputs, ...(options ? { options } : {}) }),
    fineTune: (request, onProgress) => call<Record<string, unknown>>({ kind: 'fineTune', ...request }, [], onProgress),
    save: () => call<Uint8Array>({ kind: 'save' }),
  };
}
