/**
 * Browser side of webgl.test.ts: runs the twin checks of twinCases.ts on GPU.js contexts in the
 * WebGL2 and WebGL modes and leaves the outcome in `window.__twinResults`.
 */
import { createGpuContext, type GpuMode } from '../../../../kernels/gpu/context.ts';
import { twinCases } from '../twinCases.ts';

interface Outcome { mode: string; name: string; ok: boolean; error?: string; ms: number }

const results: Outcome[] = [];
for (const mode of ['webgl2', 'webgl'] as GpuMode[]) {
  let ctx;
  try {
    ctx = createGpuContext(mode);
  } catch (e) {
    results.push({ mode, name: 'create context', ok: false, error: e instanceof Error ? e.message : String(e), ms: 0 });
    continue;
  }
  for (const c of twinCases(ctx, { largeMmdInCpuMode: false })) {
    const t0 = performance.now();
    try {
      c.run();
      results.push({ mode: ctx.mode, name: c.name, ok: true, ms: performance.now() - t0 });
    } catch (e) {
      results.push({ mode: ctx.mode, name: c.name, ok: false, error: e instanceof Error ? e.message : String(e), ms: performance.now() - t0 });
    }
  }
}
(globalThis as unknown as { __twinResults: Outcome[] }).__twinResults = results;
