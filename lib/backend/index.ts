export type { Backend } from './backend.ts';
export { jsBackend, makeCpuBackend, makeDefaultCpuBackend } from './cpuBackend.ts';
export { makeGpuBackend, parseGpuMode } from './gpuBackend.ts';
export { registerBackend, listBackends, setBackend, getBackend } from './registry.ts';
