/**
 * A local Kafka broker for development and tests, started by the project itself (JDK + Maven,
 * no Docker):
 *
 *   npm run infra:kafka -- install                       fetch the broker jars into .infra/kafka
 *   npm run infra:kafka -- start [--port N] [--data-dir DIR]   start detached, print brokers and PID
 *   npm run infra:kafka -- status [--data-dir DIR]
 *   npm run infra:kafka -- stop [--data-dir DIR]         stop by the PID file
 */
import { parseArgs } from 'node:util';
import { answersMetadata } from '@chronicle/runtime';
import { installKafka, readKafkaPid, readKafkaPort, startKafka, stopKafkaFromPidFile } from '@chronicle/dev-infra';

const USAGE = `usage: scripts/kafka.ts <install|start|stop|status> [--port N] [--controller-port N] [--data-dir DIR]
  install  fetch the broker jars into .infra/kafka (needs Java 17+ and Maven)
  start    start a single-node KRaft broker on 127.0.0.1, detached; prints brokers= and pid=
  status   exit 0 when the broker from --data-dir answers, 1 when not
  stop     stop the broker started from --data-dir (by its PID file)`;

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '9092' },
      'controller-port': { type: 'string' },
      'data-dir': { type: 'string', default: '.infra/kafka-data' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  console.error(`kafka.ts: ${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const { positionals, values } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const command = positionals[0];
const dataDir = values['data-dir'];

async function main(): Promise<number> {
  switch (command) {
    case 'install': {
      const started = Date.now();
      const install = await installKafka();
      console.log(`Kafka ${install.version} jars in ${install.libsDir} (${Date.now() - started} ms)`);
      return 0;
    }
    case 'start': {
      const started = Date.now();
      const server = await startKafka({
        dataDir,
        port: Number(values.port),
        controllerPort: values['controller-port'] ? Number(values['controller-port']) : undefined,
      });
      console.log(`Kafka ready in ${Date.now() - started} ms`);
      console.log(`brokers=${server.brokers}`);
      console.log(`pid=${server.pid}`);
      console.log(`log=${server.logPath}`);
      return 0;
    }
    case 'status': {
      const pid = readKafkaPid(dataDir);
      const port = readKafkaPort(dataDir);
      if (pid === undefined || port === undefined) {
        console.log(`Kafka is not running from ${dataDir}`);
        return 1;
      }
      const ready = await answersMetadata(`127.0.0.1:${port}`);
      console.log(`pid=${pid} brokers=127.0.0.1:${port} ${ready ? 'ready' : 'not answering'}`);
      return ready ? 0 : 1;
    }
    case 'stop': {
      const stopped = await stopKafkaFromPidFile(dataDir);
      console.log(stopped ? `Kafka stopped (${dataDir})` : `Kafka was not running from ${dataDir}`);
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
