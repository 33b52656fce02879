/**
 * 06 — The browser demo: builds the page's script and the tagging worker with esbuild, then serves
 * them with a strict Content-Security-Policy.
 *
 *   npx tsx examples/06-browser-demo/serve.ts --model MODEL.ladtl [--source SAMPLE.tsv] [--port 8377] [--no-wasm]
 *   then open http://127.0.0.1:8377/
 *
 * A model comes from `ladtl train` (or example 04). The page's "Adapt" (La-DTL) uses the sample of
 * training sentences `ladtl train` keeps in the model file (`--keep-sample`, 200 by default) as its
 * source domain; `--source` serves a CoNLL file instead (the page then needs `?source=source.conll`). The policy is `default-src 'self'` (no inline
 * script or style, no eval) plus `'wasm-unsafe-eval'` for the WebAssembly matmul; `--no-wasm` drops
 * that too, and the cpu backend then falls back to its TypeScript matmul by itself. The browser test
 * (test/embed/browserDemo.test.ts) uses `startDemoServer` from here.
 */
import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The page's CSP: nothing from elsewhere, nothing inline, no eval; WebAssembly only if allowed. */
export function demoPolicy(allowWasm: boolean): string {
  return `default-src 'self'; script-src 'self'${allowWasm ? " 'wasm-unsafe-eval'" : ''}; worker-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'`;
}

/** Bundles demo.ts and the tagging worker; returns file name → contents. */
export async function buildDemo(): Promise<Map<string, Uint8Array>> {
  const result = await build({
    entryPoints: { demo: join(here, 'demo.ts'), 'ladtl.worker.min': join(here, '../../lib/embed/worker.ts') },
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true, write: false, outdir: here, logLevel: 'silent',
  });
  const files = new Map<string, Uint8Array>();
  for (const f of result.outputFiles) files.set(f.path.slice(f.path.lastIndexOf('/') + 1), f.contents);
  for (const name of ['index.html', 'style.css']) files.set(name, readFileSync(join(here, name)));
  return files;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.ladtl': 'application/octet-stream', '.conll': 'text/plain; charset=utf-8' };

/**
 * Serves the built demo plus `model.ladtl` (and `source.conll`, the model's source sample for
 * adapting, when given) on 127.0.0.1:`port` (0 = any free port).
 */
export async function startDemoServer(o: { model: Uint8Array; source?: string; port?: number; allowWasm?: boolean }): Promise<{ server: Server; url: string }> {
  const files = await buildDemo();
  files.set('model.ladtl', o.model);
  if (o.source !== undefined) files.set('source.conll', new TextEncoder().encode(o.source));
  const policy = demoPolicy(o.allowWasm ?? true);
  const server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1)) || 'index.html';
    const body = files.get(name);
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${name}`);
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(name)] ?? 'application/octet-stream', 'content-length': body.length, 'content-security-policy': policy, 'cache-control': 'no-store' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  return { server, url: `http://127.0.0.1:${port}/` };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string' }, source: { type: 'string' }, port: { type: 'string', default: '8377' }, 'no-wasm': { type: 'boolean', default: false } } });
  if (!values.model) throw new Error('usage: npx tsx examples/06-browser-demo/serve.ts --model MODEL.ladtl [--source SAMPLE.tsv] [--port 8377] [--no-wasm]');
  const source = values.source ? readFileSync(values.source, 'utf8') : undefined;
  const { url } = await startDemoServer({ model: readFileSync(values.model), source, port: Number(values.port), allowWasm: !values['no-wasm'] });
  console.log(`demo at ${url}${source !== undefined ? '?source=source.conll' : ''} (Content-Security-Policy: ${demoPolicy(!values['no-wasm'])}); Ctrl-C to stop`);
}

// Run as a script (not when the browser test imports startDemoServer).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
