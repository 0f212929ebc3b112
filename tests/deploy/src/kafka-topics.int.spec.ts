import { spawnSync } from 'node:child_process';
import kafkajs, { Kafka, logLevel, type Admin } from 'kafkajs';
import { testKafkaBrokers, uniqueTopicPrefix } from '@chronicle/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTopicSpecs } from '../../../scripts/kafka-topics/apply-topic-specs.js';
import { readTopicSpecFile, resolveTopicSpecs, type TopicSpec } from '../../../scripts/kafka-topics/topic-specs.js';
import { repoPath, repoRoot } from './deploy-files.js';

const { ConfigResourceTypes } = kafkajs;
const file = readTopicSpecFile(repoPath('deploy', 'kafka-topics.json'));
let admin: Admin;

beforeAll(async () => {
  admin = new Kafka({ clientId: 'kafka-topics-test', brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
});
// The topics stay (unique prefixes, a throwaway broker): deleting them while other suites list
// topics would make those lists fail for a moment.
afterAll(async () => {
  await admin.disconnect();
});

/** One broker here: replication 1 (which also lowers min.insync.replicas to 1). */
function specsFor(prefix: string): TopicSpec[] {
  return resolveTopicSpecs(file, { prefix, replicationFactor: 1 });
}

/**
 * Retries until `probe` passes: topic metadata and configs reach every broker's cache a moment
 * after the controller accepted them, so a read right after a change may not see it yet.
 */
async function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean = () => true): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      const value = await probe();
      if (check(value) || attempt >= 50) return value;
    } catch (error) {
      if (attempt >= 50) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function brokerState(specs: readonly TopicSpec[]) {
  const metadata = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.name) });
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: specs.map((s) => ({ type: ConfigResourceTypes.TOPIC, name: s.name, configNames: Object.keys(s.configs) })),
  });
  return specs.map((s) => ({
    name: s.name,
    partitions: metadata.topics.find((t) => t.name === s.name)?.partitions.length,
    configs: Object.fromEntries(configs.resources.find((r) => r.resourceName === s.name)!.configEntries.map((e) => [e.configName, e.configValue])),
  }));
}

describe('scripts/kafka-topics (real Kafka broker)', () => {
  it('creates the topics as specified, then finds nothing to do', async () => {
    const specs = specsFor(uniqueTopicPrefix('topics'));
    const first = await applyTopicSpecs(admin, specs);
    expect(first.changes.map((c) => c.action)).toEqual(specs.map(() => 'create'));
    const expected = specs.map((s) => ({ name: s.name, partitions: s.partitions, configs: s.configs }));
    expect(await eventually(() => brokerState(specs), (state) => JSON.stringify(state) === JSON.stringify(expected))).toEqual(expected);

    const second = await applyTopicSpecs(admin, specs);
    expect(second).toEqual({ changes: [], warnings: [] });
  });

  it('raises partitions, puts drifted configs back, and warns about what it cannot change', async () => {
    const specs = specsFor(uniqueTopicPrefix('topics'));
    await applyTopicSpecs(admin, specs);
    await eventually(() => brokerState(specs));
    const [commands, commandsDlq] = specs;
    // Someone changed a retention by hand, and the specification now wants more partitions.
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: commandsDlq.name, configEntries: [{ name: 'retention.ms', value: '1000' }] }] });
    await eventually(() => brokerState([commandsDlq]), ([state]) => state.configs['retention.ms'] === '1000');
    const wanted = specs.map((s) => (s === commands ? { ...s, partitions: s.partitions + 2 } : s));

    const dryRun = await applyTopicSpecs(admin, wanted, { dryRun: true });
    const planned = dryRun.changes.map((c) => `${c.action} ${c.topic}`).sort();
    expect(planned).toEqual([`raise-partitions ${commands.name}`, `update-configs ${commandsDlq.name}`].sort());
    expect((await brokerState([commands]))[0].partitions, 'a dry run changes nothing').toBe(commands.partitions);

    const applied = await applyTopicSpecs(admin, wanted);
    expect(applied.changes.map((c) => `${c.action} ${c.topic}`).sort()).toEqual(planned);
    const fixed = [
      { name: commands.name, partitions: commands.partitions + 2, configs: commands.configs },
      { name: commandsDlq.name, partitions: commandsDlq.partitions, configs: commandsDlq.configs },
    ];
    expect(await eventually(() => brokerState([wanted[0], commandsDlq]), (state) => JSON.stringify(state) === JSON.stringify(fixed))).toEqual(fixed);
    expect(await applyTopicSpecs(admin, wanted)).toEqual({ changes: [], warnings: [] });

    // Fewer partitions, or another replication factor, need an operator: reported, not applied.
    const report = await applyTopicSpecs(admin, specs.map((s) => ({ ...s, replicationFactor: 3 })));
    expect(report.changes).toEqual([]);
    expect(report.warnings.filter((w) => w.startsWith(`${commands.name}:`))).toEqual([
      expect.stringContaining('cannot lower a partition count'),
      expect.stringContaining('replication factor 1, the specification says 3'),
    ]);
  });

  it('as a command, run twice: applies everything, then nothing', () => {
    const prefix = uniqueTopicPrefix('topics');
    const run = () =>
      spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@chronicle/source', 'scripts/kafka-topics.ts', '--replication-factor', '1'], {
        cwd: repoRoot,
        env: { PATH: process.env.PATH ?? '', KAFKA_BROKERS: testKafkaBrokers().join(','), CHRONICLE_TOPIC_PREFIX: prefix },
        encoding: 'utf8',
        timeout: 60_000,
      });
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('14 topics checked, 14 changes applied, 0 warnings');
    const second = run();
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout.trim()).toBe('14 topics checked, 0 changes applied, 0 warnings');
  });
});
