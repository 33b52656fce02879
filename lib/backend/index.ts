export type { Backend } from './backend.ts';
export { cpuBackend } from './cpuBackend.ts';
export { registerBackend, listBackends, setBackend, getBackend } from './registry.ts';
