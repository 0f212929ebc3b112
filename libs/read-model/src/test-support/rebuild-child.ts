/**
 * A projection service reduced to what a rebuild needs, run as a child process by the crash
 * test: `node --import tsx --conditions=@chronicle/source rebuild-child.ts <databaseUrl> <batchSize> <readDelayMs>`.
 * Runs the requested or interrupted rebuild and exits 0 once it is swapped in.
 */
import { PostgresEventStore } from '@chronicle/event-store/postgres';
import { InProcessMessageBus, topicNames } from '@chronicle/messaging';
import { ExecutionProjector } from '../projection/execution-projector.js';
import { ProjectionRebuildService } from '../rebuild/projection-rebuild.service.js';
import { createReadModelDataSource } from '../setup/read-model-data-source.js';
import { withSlowReads } from './slow-reads.event-store.js';

const [url, batchSize, readDelayMs] = process.argv.slice(2);
const quiet = { warn: () => undefined, error: (details: object, message: string) => console.error(message, details) };
const dataSource = await createReadModelDataSource(url!, { poolSize: 4 });
const store = new PostgresEventStore({ connectionString: url!, poolSize: 3 });
const bus = new InProcessMessageBus();
await bus.ensureTopics([topicNames('child').updates]);
const projector = new ExecutionProjector(dataSource, store, bus, { topicPrefix: 'child', logger: quiet });
await projector.start();
const service = new ProjectionRebuildService(dataSource, withSlowReads(store, Number(readDelayMs)), projector, {
  batchSize: Number(batchSize), progressIntervalMs: 20, logger: quiet,
});
const outcome = await service.runPending();
console.log(JSON.stringify({ outcome }));
await projector.stop();
await bus.close();
await store.close();
await dataSource.destroy();
process.exit(outcome === 'done' ? 0 : 1);
