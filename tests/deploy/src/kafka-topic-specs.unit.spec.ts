import { rmSync, writeFileSync } from 'node:fs';
import { dlqTopic, topicNames } from '@chronicle/messaging';
import { describe, expect, it } from 'vitest';
import { readTopicSpecFile, resolveTopicSpecs, TopicSpecError, type TopicSpecFile } from '../../../scripts/kafka-topics/topic-specs.js';
import { repoPath } from './deploy-files.js';

const file = readTopicSpecFile(repoPath('deploy', 'kafka-topics.json'));

describe('deploy/kafka-topics.json', () => {
  it('specifies every topic Chronicle uses and its dead-letter twin, with the prefix', () => {
    const specs = resolveTopicSpecs(file, { prefix: 'acme' });
    const expected = Object.values(topicNames('acme')).flatMap((t) => [t, dlqTopic(t)]);
    expect(specs.map((s) => s.name).sort()).toEqual(expected.sort());
  });

  it('keeps messages (delete, never compact) on three replicas with two in sync', () => {
    for (const spec of resolveTopicSpecs(file)) {
      expect(spec.configs['cleanup.policy'], spec.name).toBe('delete');
      expect(Number(spec.configs['retention.ms']), spec.name).toBeGreaterThanOrEqual(3_600_000);
      expect(spec.replicationFactor, spec.name).toBe(3);
      expect(spec.configs['min.insync.replicas'], spec.name).toBe('2');
    }
  });

  it('lowers min.insync.replicas with a replication override, or no write would succeed', () => {
    for (const spec of resolveTopicSpecs(file, { replicationFactor: 1 })) {
      expect(spec.replicationFactor).toBe(1);
      expect(spec.configs['min.insync.replicas']).toBe('1');
    }
  });

  it('refuses a file that misses a topic or has a bad partition count, naming it', () => {
    const { timers: _dropped, ...topics } = file.topics;
    expect(() => resolveTopicSpecs(readValidated({ ...file, topics }))).toThrow(/topics: must list exactly .*timers/);
    expect(() => readValidated({ ...file, topics: { ...file.topics, tasks: { partitions: 0 } } })).toThrow(/tasks.partitions/);
  });
});

/** Validation runs when a file is read; write the variant to a temporary file to read it back. */
function readValidated(variant: TopicSpecFile): TopicSpecFile {
  const path = `${process.env.TMPDIR ?? '/tmp'}/kafka-topics-${process.pid}-${Math.random().toString(36).slice(2)}.json`;
  writeFileSync(path, JSON.stringify(variant));
  try {
    return readTopicSpecFile(path);
  } catch (error) {
    expect(error).toBeInstanceOf(TopicSpecError);
    throw error;
  } finally {
    rmSync(path, { force: true });
  }
}
