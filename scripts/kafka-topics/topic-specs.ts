import { readFileSync } from 'node:fs';
import { dlqTopic, topicNames } from '@chronicle/messaging';

/** One topic as it should be on the brokers. */
export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic-level configs (values as Kafka reports them: strings). */
  readonly configs: Readonly<Record<string, string>>;
}

interface TopicEntry {
  readonly partitions: number;
  readonly replicationFactor?: number;
  readonly configs?: Readonly<Record<string, string>>;
}

/** deploy/kafka-topics.json: topics by their name without the prefix, dead letters for all. */
export interface TopicSpecFile {
  readonly defaults: { readonly replicationFactor: number; readonly configs?: Readonly<Record<string, string>> };
  readonly topics: Readonly<Record<string, TopicEntry>>;
  readonly deadLetters: TopicEntry;
}

export class TopicSpecError extends Error {
  readonly code = 'DEPLOY.INVALID_TOPIC_SPEC';
  constructor(message: string) {
    super(message);
    this.name = 'TopicSpecError';
  }
}

export interface ResolveOptions {
  /** CHRONICLE_TOPIC_PREFIX (default `chronicle`). */
  readonly prefix?: string;
  /**
   * Overrides every topic's replication factor (a single-broker cluster needs 1); then
   * `min.insync.replicas` is lowered to it when higher, or no write could ever succeed.
   */
  readonly replicationFactor?: number;
}

export function readTopicSpecFile(path: string): TopicSpecFile {
  return validate(JSON.parse(readFileSync(path, 'utf8')) as TopicSpecFile, path);
}

/**
 * The concrete topics of a deployment: every topic Chronicle uses (`topicNames`) must be in
 * the file, and nothing else, so a topic added to the code cannot be forgotten here.
 */
export function resolveTopicSpecs(file: TopicSpecFile, options: ResolveOptions = {}): TopicSpec[] {
  const names = topicNames(options.prefix ?? 'chronicle');
  const specs: TopicSpec[] = [];
  for (const [key, topic] of Object.entries(names)) {
    const entry = file.topics[key];
    specs.push(concrete(topic, entry, file, options), concrete(dlqTopic(topic), file.deadLetters, file, options));
  }
  return specs;
}

function concrete(name: string, entry: TopicEntry, file: TopicSpecFile, options: ResolveOptions): TopicSpec {
  const replicationFactor = options.replicationFactor ?? entry.replicationFactor ?? file.defaults.replicationFactor;
  const configs: Record<string, string> = { ...file.defaults.configs, ...entry.configs };
  const minIsr = configs['min.insync.replicas'];
  if (minIsr !== undefined && Number(minIsr) > replicationFactor) configs['min.insync.replicas'] = String(replicationFactor);
  return { name, partitions: entry.partitions, replicationFactor, configs };
}

function validate(file: TopicSpecFile, source: string): TopicSpecFile {
  const fail = (what: string): never => {
    throw new TopicSpecError(`${source}: ${what}`);
  };
  if (!file || typeof file !== 'object') fail('not a JSON object');
  if (!isCount(file.defaults?.replicationFactor)) fail('defaults.replicationFactor: a positive integer is required');
  const expected = Object.keys(topicNames()).sort();
  const listed = Object.keys(file.topics ?? {}).sort();
  if (expected.join() !== listed.join()) fail(`topics: must list exactly ${expected.join(', ')} (found ${listed.join(', ') || 'none'})`);
  for (const [key, entry] of [...Object.entries(file.topics), ['deadLetters', file.deadLetters] as const]) {
    if (!entry || !isCount(entry.partitions)) fail(`${key}.partitions: a positive integer is required`);
    if (entry.replicationFactor !== undefined && !isCount(entry.replicationFactor)) fail(`${key}.replicationFactor: a positive integer is required`);
    for (const [name, value] of Object.entries({ ...file.defaults.configs, ...entry.configs })) {
      if (typeof value !== 'string') fail(`${key}.configs.${name}: values are strings, as Kafka reports them`);
    }
  }
  return file;
}

const isCount = (n: unknown): n is number => Number.isInteger(n) && (n as number) > 0;
