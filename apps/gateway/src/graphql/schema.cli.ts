import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchemaSdl } from './schema-sdl.js';

/** `npm run schema`: writes the code-first schema to `schema.graphql` at the repository root. */
export const SCHEMA_FILE = fileURLToPath(new URL('../../../../schema.graphql', import.meta.url));

const sdl = await buildSchemaSdl();
writeFileSync(SCHEMA_FILE, sdl);
console.log(`wrote ${SCHEMA_FILE} (${sdl.split('\n').length} lines)`);
