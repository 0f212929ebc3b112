#!/usr/bin/env node
// The `chronicle` command: runs the compiled CLI (`npm run build` compiles it to apps/cli/dist).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
if (!existsSync(main)) {
  console.error('chronicle: the CLI is not built yet; run `npm run build` at the repository root first.');
  process.exit(2);
}
await import(main);
