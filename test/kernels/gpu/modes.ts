/**
 * The GPU.js modes the kernel tests run in: `cpu` always, `webasm` when this engine has
 * WebAssembly, plus any listed in LADTL_GPU_TEST_MODES (e.g. `headlessgl` under xvfb-run with the
 * optional `gl` module built). A mode GPU.js cannot provide is reported, not silently skipped: the
 * context's actual mode is part of every test name.
 */
import { createGpuContext, type GpuContext, type GpuMode } from '../../../kernels/gpu/index.ts';

function requestedModes(): GpuMode[] {
  const modes: GpuMode[] = ['cpu'];
  if (typeof WebAssembly === 'object') modes.push('webasm');
  for (const m of (process.env.LADTL_GPU_TEST_MODES ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!modes.includes(m as GpuMode)) modes.push(m as GpuMode);
  }
  return modes;
}

let contexts: GpuContext[] | null = null;

/** One context per mode, created once for the whole test run. */
export function gpuContexts(): GpuContext[] {
  if (!contexts) {
    contexts = requestedModes().map((mode) => {
      const ctx = createGpuContext(mode);
      if (mode !== 'auto' && ctx.mode !== mode) throw new Error(`GPU.js gave mode ${ctx.mode} when ${mode} was requested`);
      return ctx;
    });
  }
  return contexts;
}
