import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApiDocument } from './openapi-document.js';
import { REST_CONTROLLERS } from '../rest/rest-controllers.js';

/** `npm run schema`: writes the REST API's OpenAPI document to `openapi.json` at the repository root. */
export const OPENAPI_FILE = fileURLToPath(new URL('../../../../openapi.json', import.meta.url));

export const renderOpenApi = (): string => `${JSON.stringify(openApiDocument(REST_CONTROLLERS), null, 2)}\n`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = renderOpenApi();
  writeFileSync(OPENAPI_FILE, text);
  console.log(`wrote ${OPENAPI_FILE} (${Object.keys(JSON.parse(text).paths).length} paths)`);
}
