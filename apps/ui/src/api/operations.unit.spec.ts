import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as executionModel from './execution-model.operations.js';
import * as operations from './operations.js';

const schema = buildSchema(readFileSync(fileURLToPath(new URL('../../../../schema.graphql', import.meta.url)), 'utf8'));

/** Every document the UI sends, by its name (the ones built per action once for each action). */
const documents: Record<string, string> = {
  ...Object.fromEntries(Object.entries<unknown>({ ...operations, ...executionModel }).filter((entry): entry is [string, string] =>
    typeof entry[1] === 'string' && /^\s*(query|mutation|subscription)\b/.test(entry[1]))),
  ...Object.fromEntries((['enableFlow', 'disableFlow', 'deleteFlow'] as const).map((action) => [`FLOW_LIFECYCLE(${action})`, operations.FLOW_LIFECYCLE(action)])),
  ...Object.fromEntries((['enableTrigger', 'disableTrigger'] as const).map((action) => [`SET_TRIGGER(${action})`, operations.SET_TRIGGER(action)])),
};

describe('the GraphQL documents the UI sends', () => {
  it('are found', () => {
    expect(Object.keys(documents)).toEqual(expect.arrayContaining(['FLOW', 'FLOW_REVISIONS', 'EXECUTION', 'CREATE_EXECUTION', 'REWIND']));
  });

  it.each(Object.entries(documents))('%s is valid against schema.graphql', (_name, document) => {
    expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
  });
});
