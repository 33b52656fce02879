/**
 * Which backend the ops use. There is one active backend at a time; `cpu` (the default) and `js` are
 * always registered; `gpu` is registered by importing `lib/backend/gpu.ts` (`ladtl/gpu`; the CLI
 * does on `--backend gpu`), so that code which never uses it (a browser bundle of the tagger) does
 * not carry GPU.js, an optional peer dependency.
 * Backends register a factory so that an expensive one (GPU.js compiles kernels) is only built
 * when selected.
 */
import type { Backend } from './backend.ts';
import { jsBackend, makeDefaultCpuBackend } from './cpuBackend.ts';

const factories = new Map<string, () => Backend>([
  ['cpu', makeDefaultCpuBackend],
  ['js', () => jsBackend],
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
    const hint = name === 'gpu' ? " (import 'ladtl/gpu' once to register the GPU.js backend; it needs the optional package gpu.js)" : '';
    throw new Error(`unknown backend "${name}": known backends are ${listBackends().join(', ')}${hint}`);
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
