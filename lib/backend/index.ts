export type { Backend, FusedLstmDirection, InputProjection, BiLstmProjection } from './backend.ts';
export { jsBackend, makeCpuBackend, makeDefaultCpuBackend } from './cpuBackend.ts';
export { registerBackend, listBackends, setBackend, getBackend } from './registry.ts';
