/**
 * `npm run kafka:topics -- [options]`: applies deploy/kafka-topics.json to the brokers,
 * idempotently (see scripts/kafka-topics/apply-topic-specs.ts). The compose `topics` service
 * and the Kubernetes `chronicle-topics` Job run its compiled form
 * (`node deploy/dist/kafka-topics.js`).
 *
 *   --spec FILE               default deploy/kafka-topics.json
 *   --brokers LIST            default KAFKA_BROKERS
 *   --prefix NAME             default CHRONICLE_TOPIC_PREFIX, else `chronicle`
 *   --replication-factor N    overrides the file (1 for a single broker)
 *   --dry-run                 print what would change, change nothing
 *
 * Exit codes: 0 applied (or nothing to do), 1 the brokers refused, 2 bad settings.
 */
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { ConfigError, loadConfig } from '@chronicle/runtime';
import { applyTopicSpecs } from './kafka-topics/apply-topic-specs.js';
import { readTopicSpecFile, resolveTopicSpecs, TopicSpecError, type TopicSpec } from './kafka-topics/topic-specs.js';

const USAGE = `usage: npm run kafka:topics -- [--spec FILE] [--brokers LIST] [--prefix NAME] [--replication-factor N] [--dry-run]
  Applies deploy/kafka-topics.json (or --spec) to the brokers (--brokers, else KAFKA_BROKERS), idempotently.
  --prefix NAME            topic prefix (default CHRONICLE_TOPIC_PREFIX, else chronicle)
  --replication-factor N   overrides the file (1 for a single broker)
  --dry-run                print what would change, change nothing
  Exit codes: 0 applied (or nothing to do), 1 the brokers refused, 2 bad settings.`;

function settings(): { brokers: string[]; specs: TopicSpec[]; dryRun: boolean } {
  const { values } = parseArgs({
    options: {
      spec: { type: 'string', default: 'deploy/kafka-topics.json' },
      brokers: { type: 'string' },
      prefix: { type: 'string' },
      'replication-factor': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const config = loadConfig({ ...process.env, ...(values.prefix ? { CHRONICLE_TOPIC_PREFIX: values.prefix } : {}), ...(values.brokers ? { KAFKA_BROKERS: values.brokers } : {}) });
  if (!config.kafkaBrokers?.length) throw new ConfigError(['KAFKA_BROKERS: required (or --brokers)']);
  const replication = values['replication-factor'];
  if (replication !== undefined && !/^[1-9]\d*$/.test(replication)) throw new ConfigError(['--replication-factor: a positive integer is required']);
  const specs = resolveTopicSpecs(readTopicSpecFile(values.spec), { prefix: config.topicPrefix, replicationFactor: replication ? Number(replication) : undefined });
  return { brokers: [...config.kafkaBrokers], specs, dryRun: values['dry-run'] };
}

async function main(): Promise<number> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let run: ReturnType<typeof settings>;
  try {
    run = settings();
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof TopicSpecError || error instanceof TypeError)) throw error;
    console.error(`kafka-topics: ${error.message}`);
    return 2;
  }
  const admin = new Kafka({ clientId: 'chronicle-kafka-topics', brokers: run.brokers, logLevel: logLevel.WARN, connectionTimeout: 5000 }).admin();
  await admin.connect();
  try {
    const report = await applyTopicSpecs(admin, run.specs, { dryRun: run.dryRun });
    for (const c of report.changes) console.log(`${run.dryRun ? 'would ' : ''}${c.action} ${c.topic}: ${c.detail}`);
    for (const w of report.warnings) console.warn(`warning: ${w}`);
    console.log(`${run.specs.length} topics checked, ${report.changes.length} ${run.dryRun ? 'changes planned' : 'changes applied'}, ${report.warnings.length} warnings`);
    return 0;
  } finally {
    await admin.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`kafka-topics: ${error.message}`);
    process.exit(1);
  },
);
