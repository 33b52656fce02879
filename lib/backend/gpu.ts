/**
 * Importing this module (`ladtl/gpu` from the package) registers the `gpu` backend (GPU.js
 * kernels, see gpuBackend.ts) under that name. GPU.js is an optional peer dependency of ladtl: it
 * is imported through this module and nowhere else, so the default install and the browser bundle
 * of the tagger do not carry it; without it, importing this module fails with Node's "Cannot find
 * package 'gpu.js'" (the CLI adds the command that installs it).
 * The mode is GPU.js's own choice unless LADTL_GPU_MODE (where a process environment exists) names
 * one.
 */
import { registerBackend } from './registry.ts';
import { makeGpuBackend, parseGpuMode } from './gpuBackend.ts';

/** LADTL_GPU_MODE where there is a process environment (Node); GPU.js's own choice elsewhere. */
function gpuModeFromEnvironment(): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.LADTL_GPU_MODE;
}

registerBackend('gpu', () => makeGpuBackend(parseGpuMode(gpuModeFromEnvironment())));
