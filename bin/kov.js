#!/usr/bin/env node
// The `kov` command: runs src/cli/kov.ts through tsx (TypeScript without a build step).
import { register } from 'tsx/esm/api';
register();
const { runCli } = await import('../src/cli/kov.ts');
process.exit(await runCli(process.argv.slice(2)));
