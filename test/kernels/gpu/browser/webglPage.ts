/**
 * Browser side of webgl.test.ts: runs the twin checks of twinCases.ts on GPU.js contexts in the
 * WebGL2 and WebGL modes and leaves the outcome in `window.__twinResults`.
 */
import { createGpuContext, type GpuContext, type GpuMode } from '../../../../kernels/gpu/context.ts';
import { twinCases, type TwinOutcome } from '../twinCases.ts';

const failure = (mode: string, name: string, e: unknown, ms: number): TwinOutcome =>
  ({ mode, name, ok: false, error: e instanceof Error ? e.message : String(e), ms });

const results: TwinOutcome[] = [];
for (const mode of ['webgl2', 'webgl'] as GpuMode[]) {
  let ctx: GpuContext;
  try {
    ctx = createGpuContext(mode);
  } catch (e) {
    results.push(failure(mode, 'create context', e, 0));
    continue;
  }
  for (const c of twinCases(ctx, { largeMmdInCpuMode: false })) {
    const t0 = performance.now();
    try {
      c.run();
      results.push({ mode: ctx.mode, name: c.name, ok: true, ms: performance.now() - t0 });
    } catch (e) {
      results.push(failure(ctx.mode, c.name, e, performance.now() - t0));
    }
  }
}
(globalThis as unknown as { __twinResults: TwinOutcome[] }).__twinResults = results;
