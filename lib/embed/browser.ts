/**
 * Entry point of the browser build (`npm run build:browser` → dist/ladtl.browser.min.js, one ES
 * module): the tagging API and backend selection, nothing that needs Node. No `fs`, `path`,
 * `process` or `Buffer`, and no code generated at run time (`new Function`/`eval`), so it runs on a
 * page with a strict Content-Security-Policy. The default backend's WebAssembly matmul needs
 * 'wasm-unsafe-eval' in script-src; without it the backend falls back to the TypeScript matmul by
 * itself (same results, slower).
 */
export { NerTagger, tokenizeText, createTaggerWorker, type TaggedEntity, type TagResult, type TagOptions, type NBestLabelling, type TextToken, type TokenizeMode, type TaggerWorkerClient } from './index.ts';
export { setBackend, getBackend, listBackends } from '../backend/index.ts';
export { ModelFileError } from '../io/index.ts';
