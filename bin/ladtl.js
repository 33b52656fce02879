#!/usr/bin/env node
// The `ladtl` command. ladtl ships TypeScript sources and runs them through tsx's loader, so there is
// no build step between a checkout and a working command (and no native build at all).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../lib/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
