/** `--backend` on every command, with LADTL_BACKEND as the default. */
import '../backend/gpu.ts'; // registers the gpu backend for --backend gpu
import { listBackends, setBackend } from '../backend/index.ts';
import type { OptionSpec, ParsedOptions } from './args.ts';

export const BACKEND_OPTION: Record<string, OptionSpec> = {
  backend: { type: 'string', value: 'NAME', help: `compute backend (${listBackends().join(', ')}); default $LADTL_BACKEND or cpu` },
};

/**
 * Activates the chosen backend. Any backend but the default says on stderr what actually runs
 * (GPU.js falls back between modes silently, so `gpu` reports the mode it got).
 */
export function selectBackend(o: ParsedOptions): void {
  const name = o.optionalString('backend') ?? process.env.LADTL_BACKEND ?? 'cpu';
  const backend = setBackend(name);
  if (name !== 'cpu') console.error(`backend: ${backend.description}`);
}
