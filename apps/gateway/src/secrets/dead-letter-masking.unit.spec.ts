import { describe, expect, it } from 'vitest';
import { CORE_TASK_CATALOG, parseFlow } from '@chronicle/domain';
import type { ReadModelQueries } from '@chronicle/read-model';
import type { ExecutionRepository, FlowRepository } from '@chronicle/use-cases';
import { DeadLetterMasking } from './dead-letter-masking.js';
import { SecretMasking } from './secret-masking.js';

const FLOW = parseFlow(`id: f\nnamespace: team\ninputs:\n  - id: pw\n    type: SECRET\n  - id: n\n    type: STRING\ntasks:\n  - id: a\n    type: Log\n    message: x\n`, CORE_TASK_CATALOG, 1);
const SECRET = 'dead-letter-S3CRET-0123';
const EXECUTION = { id: 'exec-0000000001', namespace: 'team', flowId: 'f', flowRevision: 1, inputs: { pw: SECRET, n: 'plain' } };

/** A masking over in-memory flows and executions that counts the execution lookups (no I/O: the lookups are the subject). */
function masking() {
  const lookups: string[] = [];
  const flows = { latest: async () => ({ definition: FLOW }), revision: async () => ({ definition: FLOW }) } as unknown as FlowRepository;
  const readModel = { getExecution: async (id: string) => (lookups.push(id), id === EXECUTION.id ? EXECUTION : undefined) } as unknown as ReadModelQueries;
  const executions = { load: async () => undefined } as unknown as ExecutionRepository;
  const secrets = new SecretMasking(flows);
  return { secrets, dead: new DeadLetterMasking(secrets, readModel, executions), lookups };
}

const letter = (key: string, value: unknown) => ({ key, value: JSON.stringify(value), headers: {}, reason: `failed with ${SECRET}` });

describe('DeadLetterMasking', () => {
  it('hides the SECRET values of the executions a letter names, in every field', async () => {
    const { dead } = masking();
    const [masked] = await dead.maskAll([letter(EXECUTION.id, { type: 'TaskJob', note: SECRET })]);
    expect(JSON.stringify(masked)).not.toContain(SECRET);
    expect(masked!.value).toContain('******');
    expect(masked!.reason).toBe('failed with ******');
  });

  it('looks each execution of a page up once, through SecretMasking.valuesIn with the page as its context', async () => {
    const { dead, lookups } = masking();
    const page = [letter(EXECUTION.id, {}), letter('p0', { parentExecutionId: EXECUTION.id }), letter(EXECUTION.id, { note: 'again' })];
    const masked = await dead.maskAll(page);
    expect(lookups).toEqual([EXECUTION.id]);
    expect(JSON.stringify(masked)).not.toContain(SECRET);
    // Another page is another context: looked up again, nothing kept across requests.
    await dead.maskAll([letter(EXECUTION.id, {})]);
    expect(lookups).toEqual([EXECUTION.id, EXECUTION.id]);
  });

  it('shares the request\'s cache: an execution the request already read is not looked up again', async () => {
    const { dead, secrets, lookups } = masking();
    const request = {};
    secrets.remember(request, EXECUTION);
    const masked = await dead.maskAll([letter(EXECUTION.id, { note: SECRET })], request);
    expect(lookups).toEqual([]);
    expect(JSON.stringify(masked)).not.toContain(SECRET);
    // One letter (deadLetter, redriveDeadLetter) in the same request, too.
    expect(JSON.stringify(await dead.mask(letter(EXECUTION.id, { note: SECRET }), request))).not.toContain(SECRET);
    expect(lookups).toEqual([]);
  });

  it('fails the answer when a lookup fails, rather than show a letter unmasked', async () => {
    const { secrets } = masking();
    const failing = { getExecution: async () => { throw new Error('read model down'); } } as unknown as ReadModelQueries;
    const dead = new DeadLetterMasking(secrets, failing, { load: async () => undefined } as unknown as ExecutionRepository);
    await expect(dead.maskAll([letter(EXECUTION.id, {})])).rejects.toThrow('read model down');
  });
});
