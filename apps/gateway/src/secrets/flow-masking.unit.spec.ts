import { describe, expect, it } from 'vitest';
import { CORE_TASK_CATALOG, parseFlow } from '@chronicle/domain';
import type { Principal } from '../auth/token-registry.js';
import { toFlowType } from '../graphql/mappers.js';
import { flowForReader } from './flow-masking.js';
import { hideValues, hideValuesDeep, TASK_RUN_KEYS } from './secret-masking.js';

const SOURCE = `id: hooks
namespace: team
inputs:
  - id: password
    type: SECRET
    defaults: "pw-default-1"
  - id: name
    type: STRING
    defaults: key
tasks:
  - id: a
    type: Log
    message: "the key is in the header"
triggers:
  - id: block
    type: Webhook
    key: k3y-block-value
    secret: 'hmac-se''cret'
  - { id: inline, type: Webhook, key: "k3y-inline-value", secret: hmac-inline }
`;

const flow = () => {
  const definition = parseFlow(SOURCE, CORE_TASK_CATALOG, 1);
  return toFlowType(definition, SOURCE, { disabled: false, deleted: false });
};
const as = (role: Principal['role']): Principal => ({ role, name: 'test' });

describe('a flow as a reader below EDITOR sees it', () => {
  it.each(['VIEWER', 'OPERATOR'] as const)('%s: webhook keys, HMAC secrets and SECRET defaults masked in source, triggers and inputs', (role) => {
    const seen = flowForReader(flow(), as(role));
    for (const hidden of ['k3y-block-value', "hmac-se'cret", "hmac-se''cret", 'k3y-inline-value', 'hmac-inline', 'pw-default-1']) {
      expect(JSON.stringify(seen), hidden).not.toContain(hidden);
    }
    // The source stays valid YAML of the same flow; what is not secret is untouched.
    const reparsed = parseFlow(seen.source, CORE_TASK_CATALOG, 1);
    expect(reparsed.triggers).toHaveLength(2);
    expect(seen.source).toContain('message: "the key is in the header"');
    expect(seen.source).toContain('defaults: key');
    expect((seen.triggers as Array<{ key: string }>).map((t) => t.key)).toEqual(['******', '******']);
    expect((seen.inputs as Array<{ id: string; defaults: unknown }>).map((i) => i.defaults)).toEqual(['******', 'key']);
  });

  it.each(['EDITOR', 'ADMIN'] as const)('%s: as written', (role) => {
    expect(flowForReader(flow(), as(role))).toEqual(flow());
  });
});

describe('hiding secret values in text', () => {
  it('replaces every occurrence, longest value first, inside nested JSON', () => {
    expect(hideValues('a hunter2 b hunter2', ['hunter2'])).toBe('a ****** b ******');
    expect(hideValuesDeep({ x: ['pw=abc-long', { y: 'abc' }], n: 1 }, ['abc-long', 'abc'])).toEqual({ x: ['pw=******', { y: '******' }], n: 1 });
    expect(hideValuesDeep({ x: 'unchanged' }, [])).toEqual({ x: 'unchanged' });
  });

  // Kestra's inputs.yaml (core/src/test/resources/flows/valids/inputs.yaml) has a task `secret` and a SECRET input of value `secret`.
  it('leaves a task run\'s identifiers alone: a task id equal to a secret value is no secret', () => {
    const run = { id: 'e.7', taskId: 'secret', state: 'SUCCESS', outputs: { value: 'secret' }, attempts: [{ number: 1, state: 'SUCCESS', error: 'bad secret' }] };
    expect(hideValuesDeep([run], ['secret'], TASK_RUN_KEYS)).toEqual([{ ...run, outputs: { value: '******' }, attempts: [{ number: 1, state: 'SUCCESS', error: 'bad ******' }] }]);
  });
});
