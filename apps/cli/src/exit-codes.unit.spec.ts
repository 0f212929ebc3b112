import { describe, expect, it } from 'vitest';
import { errorLines, exitCodeFor } from './exit-codes.js';

describe('the CLI on an error', () => {
  it('exits 2 for a usage error and 1 for any answer of the API or an unreachable server', () => {
    expect(exitCodeFor('USAGE')).toBe(2);
    for (const code of ['NOT_FOUND', 'FORBIDDEN', 'BAD_USER_INPUT', 'NETWORK_ERROR', 'HTTP_502', undefined]) expect(exitCodeFor(code)).toBe(1);
  });

  it('prints the category, the message and the exact reason, and a hint for what a person can fix', () => {
    expect(errorLines('NOT_FOUND', 'execution x does not exist', 'EXECUTION_NOT_FOUND')).toEqual(['NOT_FOUND: execution x does not exist (EXECUTION_NOT_FOUND)']);
    expect(errorLines('FORBIDDEN', 'the VIEWER role may not execute', 'FORBIDDEN')).toEqual([
      'FORBIDDEN: the VIEWER role may not execute',
      "hint: the token's role or namespaces do not allow this: use a token that does",
    ]);
    expect(errorLines(undefined, 'boom')).toEqual(['boom']);
  });
});
