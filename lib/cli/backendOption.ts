/** `--backend` on every command, with LADTL_BACKEND as the default. */
import { listBackends, setBackend, type Backend } from '../backend/index.ts';
import type { OptionSpec, ParsedOptions } from './args.ts';

/**
 * Backends whose module is imported only when asked for: `gpu` loads GPU.js, an optional peer
 * dependency, which neither `--help` nor a cpu run should pay for (or need installed).
 */
const ON_DEMAND: Readonly<Record<string, () => Promise<unknown>>> = {
  gpu: () => import('../backend/gpu.ts').catch((e: unknown) => {
    throw missingPackage(e, 'gpu.js') ? new Error("the gpu backend needs the optional package gpu.js, which is not installed: npm install gpu.js", { cause: e }) : e;
  }),
};

/** Whether `e` is Node's error for package `name` not being installed. */
function missingPackage(e: unknown, name: string): boolean {
  const err = e as { code?: string; message?: string } | undefined;
  return (err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND') && (err.message ?? '').includes(`'${name}'`);
}

/** Every backend name the CLI accepts: the registered ones and those loaded on demand. */
export function knownBackends(): string[] {
  return [...new Set([...listBackends(), ...Object.keys(ON_DEMAND)])];
}

/** Selects backend `name`, importing its module first when it is loaded on demand. */
export async function loadBackend(name: string): Promise<Backend> {
  const load = ON_DEMAND[name];
  if (load && !listBackends().includes(name)) await load();
  return setBackend(name);
}

export const BACKEND_OPTION: Record<string, OptionSpec> = {
  backend: { type: 'string', value: 'NAME', help: `compute backend (${knownBackends().join(', ')}); default $LADTL_BACKEND or cpu` },
};

/**
 * Activates the chosen backend. Any backend but the default says on stderr what actually runs
 * (GPU.js falls back between modes silently, so `gpu` reports the mode it got).
 */
export async function selectBackend(o: ParsedOptions): Promise<void> {
  const name = o.optionalString('backend') ?? process.env.LADTL_BACKEND ?? 'cpu';
  const backend = await loadBackend(name);
  if (name !== 'cpu') console.error(`backend: ${backend.description}`);
}
