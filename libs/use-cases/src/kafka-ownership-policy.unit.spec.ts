import { describe, expect, it } from 'vitest';
import { loadConfig } from '@chronicle/runtime';
import { kafkaOwnershipPolicy } from './kafka-ownership-policy.js';
import { assertNoReservedKafkaNames } from './deploy-flow.js';
import { CORE_TASK_CATALOG, parseFlow } from '@chronicle/domain';

const flow = (topic: string) => parseFlow(`id: f\nnamespace: teamA\ntasks:\n  - id: a\n    type: Log\n    message: x\ntriggers:\n  - id: k\n    type: io.kestra.plugin.kafka.Trigger\n    topic: ${topic}\n`, CORE_TASK_CATALOG, 0);

describe('Kafka trigger ownership policy (from the configuration)', () => {
  it('is enforced once a token is limited to namespaces or prefixes are granted, not otherwise', () => {
    const token = 'a-long-enough-token-0001';
    expect(kafkaOwnershipPolicy(loadConfig({ CHRONICLE_TOKENS: `ADMIN=${token}` })).enforced).toBe(false);
    expect(kafkaOwnershipPolicy(loadConfig({ CHRONICLE_TOKENS: `ADMIN=${token},EDITOR:teamA|teamC=${token}2` })).enforced).toBe(true);
    expect(kafkaOwnershipPolicy(loadConfig({ CHRONICLE_KAFKA_NAMESPACE_PREFIXES: 'teamA=orders.' })).enforced).toBe(true);
  });

  it('refuses at deploy a topic the flow\'s namespace does not own, only where namespaces are isolated', () => {
    const open = loadConfig({ CHRONICLE_TOKENS: 'ADMIN=a-long-enough-token-0001' });
    const isolated = loadConfig({ CHRONICLE_TOKENS: 'EDITOR:teamA=a-long-enough-token-0001' });
    expect(() => assertNoReservedKafkaNames(flow('teamB.orders'), open)).not.toThrow();
    expect(() => assertNoReservedKafkaNames(flow('teamB.orders'), isolated)).toThrow(/triggers\[0\]\.topic: topic "teamB\.orders" does not belong to namespace teamA/);
    expect(() => assertNoReservedKafkaNames(flow('teamA.orders'), isolated)).not.toThrow();
    // Chronicle's own topics stay refused either way.
    expect(() => assertNoReservedKafkaNames(flow('chronicle.logs'), open)).toThrow(/Chronicle's own topics/);
  });

  it('refuses a malformed CHRONICLE_KAFKA_NAMESPACE_PREFIXES at start, naming it', () => {
    expect(() => loadConfig({ CHRONICLE_KAFKA_NAMESPACE_PREFIXES: 'teamA:orders' })).toThrow(/CHRONICLE_KAFKA_NAMESPACE_PREFIXES: expected namespace=prefix\|prefix/);
  });
});
