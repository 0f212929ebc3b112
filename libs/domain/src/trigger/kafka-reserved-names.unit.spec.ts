import { describe, expect, it } from 'vitest';
import { kafkaTriggerConsumerGroup, reservedKafkaNameIssue } from './kafka-reserved-names.js';
import { parseTriggers } from './trigger.parser.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

const kafka = (fields: Record<string, string>) => ({ id: 'k', type: 'io.kestra.plugin.kafka.Trigger', ...fields });

describe('a Kafka trigger may not use Chronicle\'s own topics or consumer groups', () => {
  it.each(['chronicle.logs', 'chronicle.tasks', 'chronicle.commands', 'chronicle.updates', 'chronicle.triggers', 'chronicle.triggers.dlq', 'chronicle.timers', 'chronicle.control', 'chronicle'])(
    'refuses topic %s at deploy, naming the field',
    (topic) => {
      const { triggers, issues } = parseTriggers([kafka({ topic })]);
      expect(triggers).toEqual([]);
      expect(issues).toEqual([{ path: 'triggers[0].topic', message: expect.stringMatching(/one of Chronicle's own topics/), reserved: true }]);
    },
  );

  it.each(['chronicle-workers', 'chronicle.chronicle-workers', 'chronicle-log-projection', 'chronicle-scheduler-triggers', 'chronicle-trigger-other'])(
    'refuses consumer group %s',
    (groupId) => {
      const { issues } = parseTriggers([kafka({ topic: 'orders', groupId })]);
      expect(issues).toEqual([{ path: 'triggers[0].groupId', message: expect.stringMatching(/reserved for Chronicle's services/), reserved: true }]);
    },
  );

  it('keeps a topic of the flow\'s own, its own group, and the default group', () => {
    const { triggers, issues } = parseTriggers([kafka({ topic: 'orders' }), { ...kafka({ topic: 'chronicles.orders', groupId: 'team-a' }), id: 'k2' }]);
    expect(issues).toEqual([]);
    expect(triggers.map((t) => (t.kind === 'Kafka' ? [t.topic, t.groupId] : []))).toEqual([['orders', 'chronicle-trigger-k'], ['chronicles.orders', 'team-a']]);
  });

  it('refuses a topic pattern and a list of topics, whose other names would be unread or unchecked', () => {
    expect(parseTriggers([{ id: 'k', type: 'io.kestra.plugin.kafka.Trigger', topicPattern: 'chronicle\\..*' }]).issues).toEqual([
      { path: 'triggers[0].topicPattern', message: 'is not supported: name the topic in `topic` (one trigger per topic)' },
    ]);
    expect(parseTriggers([{ id: 'k', type: 'io.kestra.plugin.kafka.Trigger', topic: ['orders', 'chronicle.logs'] }]).issues).toEqual([
      { path: 'triggers[0].topic', message: 'one topic, got a list of 2: use one trigger per topic' },
    ]);
    expect(parseTriggers([{ id: 'k', type: 'io.kestra.plugin.kafka.Trigger', topic: ['chronicle.logs'] }]).issues[0]).toMatchObject({ path: 'triggers[0].topic', reserved: true });
  });

  it('checks against a configured prefix too', () => {
    expect(reservedKafkaNameIssue({ id: 'k', topic: 'acme.logs', groupId: 'g' }, 'acme')?.field).toBe('topic');
    expect(reservedKafkaNameIssue({ id: 'k', topic: 'orders', groupId: 'acme.workers' }, 'acme')?.field).toBe('groupId');
    expect(reservedKafkaNameIssue({ id: 'k', topic: 'orders', groupId: 'chronicle-workers' }, 'acme')?.field).toBe('groupId');
    expect(reservedKafkaNameIssue({ id: 'k', topic: 'acme-orders', groupId: 'acme-orders' }, 'acme')).toBeUndefined();
    expect(reservedKafkaNameIssue({ id: 'k', topic: 'acmeorders', groupId: 'chronicle-trigger-k' }, 'acme')).toBeUndefined();
  });
});

describe('the consumer group a Kafka trigger consumes in', () => {
  it('is its flow\'s own without a groupId (same trigger ids in two flows never share one), the given one otherwise', () => {
    const [k] = parseTriggers([kafka({ topic: 'orders' })]).triggers as unknown as [{ id: string; groupId: string }];
    expect(kafkaTriggerConsumerGroup('teamA', 'f', k)).toBe('chronicle-trigger-teamA/f/k');
    expect(kafkaTriggerConsumerGroup('teamB', 'f', k)).toBe('chronicle-trigger-teamB/f/k');
    expect(kafkaTriggerConsumerGroup('teamA', 'g', k)).not.toBe(kafkaTriggerConsumerGroup('teamA', 'f', k));
    expect(kafkaTriggerConsumerGroup('teamA', 'f', { id: 'k', groupId: 'team-a' })).toBe('team-a');
  });
});

describe('deploying a flow whose Kafka trigger names Chronicle\'s own topic', () => {
  it('fails with the path, the line and what to do', async () => {
    const { parseFlow } = await import('../flow/flow.parser.js');
    const source = 'id: f\nnamespace: teamA\ntasks:\n  - id: a\n    type: Log\n    message: x\ntriggers:\n  - id: k\n    type: io.kestra.plugin.kafka.Trigger\n    topic: chronicle.logs\n';
    expect(() => parseFlow(source, CORE_TASK_CATALOG)).toThrow(/triggers\[0\]\.topic: topic "chronicle\.logs" is one of Chronicle's own topics.*\(line 10/);
  });
});
