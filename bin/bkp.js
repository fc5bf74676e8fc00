#!/usr/bin/env node
// The `bkp` command. The project ships TypeScript sources; tsx loads them.
import { register } from 'tsx/esm/api';

register();
await import('../harness/cli.ts');
