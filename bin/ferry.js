#!/usr/bin/env node
// Entry point: registers tsx so the TypeScript sources run as they are (docs/adr/0003).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/run.ts');
