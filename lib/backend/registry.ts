/**
 * Which backend the ops use. There is one active backend at a time; `cpu` (the default), `js` and
 * `gpu` (GPU.js, see gpuBackend.ts) are always registered.
 * Backends register a factory so that an expensive one (GPU.js compiles kernels) is only built
 * when selected.
 */
import type { Backend } from './backend.ts';
import { jsBackend, makeDefaultCpuBackend } from './cpuBackend.ts';
import { makeGpuBackend, parseGpuMode } from './gpuBackend.ts';

/** LADTL_GPU_MODE where there is a process environment (Node); GPU.js's own choice elsewhere. */
function gpuModeFromEnvironment(): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.LADTL_GPU_MODE;
}

const factories = new Map<string, () => Backend>([
  ['cpu', makeDefaultCpuBackend],
  ['js', () => jsBackend],
  ['gpu', () => makeGpuBackend(parseGpuMode(gpuModeFromEnvironment()))],
]);
const instances = new Map<string, Backend>();
let active: Backend | null = null;

/** Makes a backend selectable by name. Registering a name twice replaces the factory. */
export function registerBackend(name: string, factory: () => Backend): void {
  factories.set(name, factory);
  instances.delete(name);
}

/** Names of the registered backends, in registration order. */
export function listBackends(): string[] {
  return [...factories.keys()];
}

/** Selects the backend all ops use from now on; throws naming the known backends if unknown. */
export function setBackend(name: string): Backend {
  const factory = factories.get(name);
  if (!factory) {
    throw new Error(`unknown backend "${name}": known backends are ${listBackends().join(', ')}`);
  }
  let instance = instances.get(name);
  if (!instance) {
    instance = factory();
    instances.set(name, instance);
  }
  active = instance;
  return instance;
}

/** The backend ops currently dispatch to (`cpu` unless another was selected). */
export function getBackend(): Backend {
  return active ?? setBackend('cpu');
}
