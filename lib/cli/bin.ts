#!/usr/bin/env node
/** The `ladtl` executable: the CLI on this process's arguments, its exit code as the process's. */
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
