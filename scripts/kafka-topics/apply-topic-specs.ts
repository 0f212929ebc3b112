import kafkajs, { type Admin } from 'kafkajs';
import type { TopicSpec } from './topic-specs.js';

// kafkajs is CommonJS and its enum is not a named export Node can see.
const { ConfigResourceTypes } = kafkajs;

export interface TopicChange {
  readonly topic: string;
  readonly action: 'create' | 'raise-partitions' | 'update-configs';
  readonly detail: string;
}

export interface ApplyReport {
  /** What was changed (or, in a dry run, what would be). Empty when the brokers already match. */
  readonly changes: readonly TopicChange[];
  /** Differences this script cannot fix: fewer partitions wanted, another replication factor. */
  readonly warnings: readonly string[];
}

/**
 * Brings the brokers to the specification, idempotently: creates missing topics, raises
 * partition counts that are lower (Kafka cannot lower them), and sets the configs that
 * differ. Kafka's AlterConfigs replaces a topic's whole set of dynamic configs, so a topic
 * that needs a change gets every config of its specification at once: the file is the
 * source of truth, and hand-made overrides on these topics do not survive a change.
 */
export async function applyTopicSpecs(admin: Admin, specs: readonly TopicSpec[], options: { dryRun?: boolean } = {}): Promise<ApplyReport> {
  const changes: TopicChange[] = [];
  const warnings: string[] = [];
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.name));
  const present = specs.filter((s) => existing.has(s.name));

  for (const spec of missing) {
    changes.push({ topic: spec.name, action: 'create', detail: `${spec.partitions} partitions, replication ${spec.replicationFactor}, ${describe(spec.configs)}` });
  }
  if (missing.length > 0 && !options.dryRun) {
    await createTopics(admin, missing);
  }
  if (present.length === 0) return { changes, warnings };

  const metadata = await admin.fetchTopicMetadata({ topics: present.map((s) => s.name) });
  const partitionsOf = new Map(metadata.topics.map((t) => [t.name, t.partitions]));
  const raise: Array<{ topic: string; count: number }> = [];
  const wanted = new Map<string, Readonly<Record<string, string>>>();
  for (const spec of present) {
    const partitions = partitionsOf.get(spec.name) ?? [];
    if (partitions.length < spec.partitions) {
      raise.push({ topic: spec.name, count: spec.partitions });
      changes.push({ topic: spec.name, action: 'raise-partitions', detail: `${partitions.length} -> ${spec.partitions}` });
    } else if (partitions.length > spec.partitions) {
      warnings.push(`${spec.name}: has ${partitions.length} partitions, the specification says ${spec.partitions} (Kafka cannot lower a partition count)`);
    }
    const replication = partitions[0]?.replicas.length;
    if (replication !== undefined && replication !== spec.replicationFactor) {
      warnings.push(`${spec.name}: replication factor ${replication}, the specification says ${spec.replicationFactor} (change it with a partition reassignment)`);
    }
    wanted.set(spec.name, withinReplication(spec.configs, replication ?? spec.replicationFactor));
  }
  if (raise.length > 0 && !options.dryRun) await admin.createPartitions({ topicPartitions: raise, validateOnly: false });

  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((s) => ({ type: ConfigResourceTypes.TOPIC, name: s.name, configNames: Object.keys(s.configs) })),
  });
  const actual = new Map(described.resources.map((r) => [r.resourceName, new Map(r.configEntries.map((e) => [e.configName, e.configValue]))]));
  const update = present.filter((spec) => {
    const differing = Object.entries(wanted.get(spec.name)!).filter(([name, value]) => actual.get(spec.name)?.get(name) !== value);
    if (differing.length > 0) {
      changes.push({ topic: spec.name, action: 'update-configs', detail: differing.map(([n, v]) => `${n}: ${actual.get(spec.name)?.get(n) ?? 'unset'} -> ${v}`).join(', ') });
    }
    return differing.length > 0;
  });
  if (update.length > 0 && !options.dryRun) {
    await admin.alterConfigs({
      validateOnly: false,
      resources: update.map((s) => ({ type: ConfigResourceTypes.TOPIC, name: s.name, configEntries: Object.entries(wanted.get(s.name)!).map(([name, value]) => ({ name, value })) })),
    });
  }
  return { changes, warnings };
}

async function createTopics(admin: Admin, specs: readonly TopicSpec[]): Promise<void> {
  const topics = specs.map((s) => ({
    topic: s.name,
    numPartitions: s.partitions,
    replicationFactor: s.replicationFactor,
    configEntries: Object.entries(s.configs).map(([name, value]) => ({ name, value })),
  }));
  // kafkajs's waitForLeaders gives up on UNKNOWN_TOPIC_OR_PARTITION, which a KRaft broker
  // answers until the new topic reaches its metadata cache: wait here instead.
  // A false answer means some existed already (a service starting at the same time created
  // them with its defaults): fine, the next run fixes their partitions and configs.
  await admin.createTopics({ topics, waitForLeaders: false });
  await untilLed(admin, specs.map((s) => s.name));
}

/** Resolves once every topic has a leader for each partition (bounded: about 30 s). */
async function untilLed(admin: Admin, names: readonly string[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [...names] });
      if (topics.length === names.length && topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if (attempt >= 150) throw error;
    }
    if (attempt >= 150) throw new Error(`topics have no leader yet: ${names.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** min.insync.replicas above a topic's actual replication factor would refuse every acks=all write. */
function withinReplication(configs: Readonly<Record<string, string>>, replication: number): Readonly<Record<string, string>> {
  const minIsr = configs['min.insync.replicas'];
  return minIsr !== undefined && Number(minIsr) > replication ? { ...configs, 'min.insync.replicas': String(replication) } : configs;
}

const describe = (configs: Readonly<Record<string, string>>) => Object.entries(configs).map(([n, v]) => `${n}=${v}`).join(' ');
