import { CORE_TASK_CATALOG, decide, evolve, parseFlow, type ExecutionEvent, type ExecutionState } from '@chronicle/domain';
import { NO_STREAM } from '@chronicle/event-store';
import { PostgresEventStore } from '@chronicle/event-store/postgres';
import { createReadModel, EXECUTION_PROJECTION, getRebuild, requestRebuild, runRebuild } from '@chronicle/read-model';
import { toEventData } from '@chronicle/contracts';
import { BENCHMARK01_FLOW } from '@chronicle/testing';
import type { SingleBar } from 'cli-progress';
import type { ResultRow } from '../result-row.js';

/** The events of one real benchmark01 execution, decided by the domain (9 events). */
function benchmark01Events(executionId: string, at: string): ExecutionEvent[] {
  const flow = parseFlow(BENCHMARK01_FLOW, CORE_TASK_CATALOG, 1);
  const events: ExecutionEvent[] = [];
  let state: ExecutionState = undefined;
  const apply = (command: Parameters<typeof decide>[0]) => {
    const decided = decide(command, state, { flow, taskTypes: CORE_TASK_CATALOG });
    for (const e of decided) state = evolve(state, e);
    events.push(...decided);
  };
  apply({ type: 'CreateExecution', executionId, flow, inputs: { name: executionId.slice(-6) }, now: at });
  apply({ type: 'AdvanceExecution', executionId, now: at });
  for (let guard = 0; guard < 10 && state!.state === 'RUNNING'; guard++) {
    const open = state!.taskRuns.find((t) => t.state === 'CREATED');
    if (!open) break;
    const job = (events.find((e) => e.type === 'TaskRunCreated' && e.data.taskRunId === open.id) as { data: { job?: { properties: { values?: unknown } } } } | undefined)?.data.job;
    apply({ type: 'CompleteTaskRun', executionId, taskRunId: open.id, attempt: 1, outputs: job?.properties.values ? { values: job.properties.values as never } : {}, now: at });
  }
  return events;
}

/**
 * Projection rebuild speed: a log of `targetEvents` real execution events is written straight
 * into a fresh event store, then the product's rebuild (`runRebuild`) replays all of it into the
 * shadow tables and swaps them in; events/s = events / time from its start to the swap.
 */
export async function rebuild(databaseUrl: string, targetEvents: number, bar: SingleBar, hooks: { onReplayStart?: () => void | Promise<void>; batchSize?: number; foldWorkers?: number } = {}): Promise<ResultRow[]> {
  const store = new PostgresEventStore({ connectionString: databaseUrl, poolSize: 8 });
  await store.ensureSchema();
  const template = benchmark01Events('00000000-0000-7000-8000-000000000000', new Date().toISOString());
  const perExecution = template.length;
  const executions = Math.ceil(targetEvents / perExecution);
  const at = new Date().toISOString();
  for (let i = 0; i < executions; i += 100) {
    const batch = [];
    for (let j = i; j < Math.min(executions, i + 100); j++) {
      const id = `00000000-0000-7000-8000-${String(j).padStart(12, '0')}`;
      batch.push({ streamId: `execution-${id}`, events: toEventData(benchmark01Events(id, at)), expectedRevision: NO_STREAM });
    }
    await store.appendMany(batch);
    bar.update(Math.min(executions, i + 100) * perExecution * 0.5);
  }
  const head = (await store.headPosition())!;
  const readModel = await createReadModel(databaseUrl, { migrate: true });
  const total = executions * perExecution;
  // The product's rebuild path: the whole log into the shadow schema, then the swap.
  await requestRebuild(readModel.dataSource, EXECUTION_PROJECTION, 'bench');
  const progress = setInterval(() => {
    void getRebuild(readModel.dataSource, EXECUTION_PROJECTION).then((r) => {
      if (r?.position) bar.update(total * 0.5 + Number((BigInt(r.position) * BigInt(Math.round(total * 0.5))) / head));
    });
  }, 500);
  await hooks.onReplayStart?.();
  const t0 = performance.now();
  const outcome = await runRebuild(readModel.dataSource, store, {
    logger: { warn() {}, error() {} },
    batchSize: hooks.batchSize,
    foldWorkers: hooks.foldWorkers,
    // No live projector runs in the bench: nothing to pause across the swap.
    pauseLive: async () => undefined,
    resumeLive: async () => undefined,
  });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(progress);
  if (outcome !== 'done') throw new Error(`the rebuild ended ${outcome}`);
  bar.update(total);
  await readModel.close();
  await store.close();
  return [{ scenario: 'rebuild', mode: 'standalone', offeredPerMin: null, achievedPerMin: null, p50Ms: null, p95Ms: null, p99Ms: null, events: total, seconds: Math.round(seconds * 100) / 100, eventsPerSecond: Math.round(total / seconds) }];
}
