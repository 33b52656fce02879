/** `ladtl backends`: every backend the CLI accepts, with what it runs on or why it is unavailable. */
import { setBackend } from '../../backend/index.ts';
import { defineCommand } from '../command.ts';
import { knownBackends, loadBackend } from '../backendOption.ts';

export const backendsCommand = defineCommand('backends', {}, async () => {
  for (const name of knownBackends()) {
    try {
      console.log(`${name}\t${(await loadBackend(name)).description}`);
    } catch (e) {
      console.log(`${name}\tnot available: ${(e as Error).message}`);
    }
  }
  setBackend('cpu');
  return 0;
}, { backendOption: false });
