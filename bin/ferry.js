#!/usr/bin/env node
// Entry point: registers tsx so the TypeScript sources run as they are (see docs/adr/0003).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
