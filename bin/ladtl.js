#!/usr/bin/env node
// The `ladtl` command. Installed from the registry, the package has the compiled CLI (dist/) and no
// TypeScript sources, and this runs the former. In a checkout of the repository, where lib/ holds
// the sources, it runs those through tsx (a devDependency), so that an edit needs no build step.
import { existsSync } from 'node:fs';

const source = new URL('../lib/cli/bin.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/lib/cli/bin.js');
}
