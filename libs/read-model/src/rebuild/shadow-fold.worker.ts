/*
 * A rebuild's fold worker (see `fold-workers.ts`): folds the execution events of its share of
 * the executions (partitioned by id) and encodes their shadow rows, one batch per message. It
 * keeps what it folded in the batch before: the main thread loads only the other executions'
 * rows from the shadow. An error is answered; anything worse ends the thread, and the main
 * thread fails the rebuild.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { domainEvolve, foldExecutions, type StoredExecution } from '../projection/execution-fold.js';
import { executionIdOf } from '../projection/stream-names.js';
import { parsedEvent } from './log-event.js';
import { encodeShadowRows } from './shadow-rows.encoder.js';
import type { FoldReply, FoldRequest, FoldWorkerData } from './fold-worker.protocol.js';

const port = parentPort!;
const options = (workerData ?? {}) as FoldWorkerData;
let carried = new Map<string, StoredExecution>();
let batches = 0;

port.on('message', (request: FoldRequest) => {
  batches++;
  // Tests only: a thread that ends abruptly, as an out-of-memory or a native fault would end it.
  if (options.exitOnBatch !== undefined && batches >= options.exitOnBatch) process.exit(70);
  let reply: FoldReply;
  let transfer: ArrayBuffer[] = [];
  try {
    if (request.forget) carried = new Map();
    const events = request.events.map(parsedEvent);
    const stored = new Map(request.stored);
    for (const event of events) {
      const id = executionIdOf(event.streamId)!;
      const held = carried.get(id);
      // Through JSON, as a row read back would be: the fold starts from exactly what the shadow will hold.
      if (held && !stored.has(id)) stored.set(id, { doc: JSON.parse(JSON.stringify(held.doc)), revision: held.revision });
    }
    const folded = foldExecutions(events, stored, domainEvolve, { liveUpdates: false });
    carried = new Map(folded.executions.map((e) => [e.id, { doc: e.doc, revision: e.revision }]));
    const rows = encodeShadowRows(events, folded.executions, stored, folded.poison, request.now);
    reply = { id: request.id, rows, folded: [...carried.keys()] };
    // The COPY text moves to the main thread without a copy (each buffer is its own, see `utf8`).
    transfer = [rows.executionLines, rows.taskRunLines, rows.auditLines].map((bytes) => bytes.buffer as ArrayBuffer);
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply, transfer);
});
