/**
 * How to start this CLI in a child process (the workers of `experiment --jobs N`): Node arguments
 * that run `bin` beside this module, compiled (`dist/lib/cli/bin.js`) or from source
 * (`lib/cli/bin.ts` under tsx's loader, which a child process does not inherit).
 */
import { fileURLToPath } from 'node:url';

export function cliNodeArguments(): string[] {
  const fromSource = import.meta.url.endsWith('.ts');
  const bin = fileURLToPath(new URL(fromSource ? './bin.ts' : './bin.js', import.meta.url));
  return fromSource ? ['--import', import.meta.resolve('tsx'), bin] : [bin];
}
