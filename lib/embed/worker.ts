/**
 * The worker script of the browser build (dist/ladtl.worker.min.js): a module worker that serves
 * tagging requests. Page side: `createTaggerWorker(new Worker(url, { type: 'module' }))`.
 */
import { serveTagger, type PortLike } from './workerProtocol.ts';

serveTagger(globalThis as unknown as PortLike);
