import { readFileSync } from 'node:fs';
import { validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { REST_CONTROLLERS } from '../rest/rest-controllers.js';
import { OPENAPI_FILE, renderOpenApi } from './openapi.cli.js';
import { restOperations } from './openapi-document.js';

describe('the OpenAPI document', () => {
  it('is the checked-in openapi.json (run `npm run schema` after changing a route)', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(renderOpenApi());
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(JSON.parse(renderOpenApi()));
    expect(result.valid ? [] : result.errors, JSON.stringify(result)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents every route, each query parameter with its type', () => {
    const operations = restOperations(REST_CONTROLLERS);
    expect(operations.filter((op) => !op.doc).map((op) => op.handler)).toEqual([]);
    const document = JSON.parse(renderOpenApi()) as { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };
    for (const op of operations) {
      const documented = document.paths[op.path]?.[op.method];
      expect(documented, `${op.method} ${op.path}`).toBeTruthy();
      expect((documented!.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name).sort()).toEqual([...op.queryParams].sort());
    }
  });
});
