import { NO_STREAM, type AppendRequest, type EventData, type EventMetadata, type EventStore, type RecordedEvent } from '@chronicle/event-store';
import { CodedError } from '@chronicle/errors';

/** One line of an export (NDJSON): an event as stored, with its stream, revision and position. */
export interface ExportedEvent {
  readonly streamId: string;
  readonly revision: number;
  /** Position in the exporting installation (informative: an import gets new positions). */
  readonly position: string;
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  readonly recordedAt: string;
}

export const toExportedEvent = (e: RecordedEvent): ExportedEvent => ({
  streamId: e.streamId, revision: Number(e.revision), position: e.position.toString(), id: e.id, type: e.type, data: e.data, metadata: e.metadata, recordedAt: e.recordedAt,
});

/** Every event of one stream, or of the whole log, in log order, page by page. */
export async function* exportEvents(store: EventStore, options: { streamId?: string; pageSize?: number } = {}): AsyncGenerator<ExportedEvent> {
  const pageSize = options.pageSize ?? 1_000;
  if (options.streamId !== undefined) {
    for (let from = 0n; ; ) {
      const page = await store.readStream(options.streamId, { fromRevision: from, maxCount: pageSize });
      for (const event of page) yield toExportedEvent(event);
      if (page.length < pageSize) return;
      from = page[page.length - 1]!.revision + 1n;
    }
  }
  for (let after: bigint | undefined; ; ) {
    const page = await store.readAll({ after, maxCount: pageSize });
    for (const event of page) yield toExportedEvent(event);
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.position;
  }
}

export class InvalidImportError extends CodedError {
  constructor(readonly line: number, message: string) {
    super('EVENT_IMPORT_INVALID', `line ${line}: ${message}`);
  }
}

/** The installation already holds something else at a revision the import would write. */
export class ImportConflictError extends CodedError {
  constructor(readonly line: number, message: string) {
    super('EVENT_IMPORT_CONFLICT', `line ${line}: ${message}; the import stops here (what came before it is imported)`);
  }
}

export interface ImportResult {
  /** Events appended. */
  readonly imported: number;
  /** Events the store held already, same id at the same revision (a re-import). */
  readonly skipped: number;
  readonly streams: number;
}

/**
 * Appends exported events with their original ids, types, data and metadata, in the order of
 * the file (so the log keeps its order across streams), each stream at its original revisions:
 * every append expects the revision before it. Importing the same file again skips what is
 * there (same event id at the same revision) and refuses anything else. Chunks are appended
 * atomically one after the other; a refused line stops the import after the chunks before it.
 */
export async function importEvents(store: EventStore, lines: AsyncIterable<string>, chunkSize = 500): Promise<ImportResult> {
  const next = new Map<string, bigint>();
  let imported = 0;
  let skipped = 0;
  let chunk: { line: number; event: ExportedEvent }[] = [];
  const flush = async () => {
    const requests: AppendRequest[] = [];
    for (const { line, event } of chunk) {
      const revision = BigInt(event.revision);
      let expected = next.get(event.streamId);
      if (expected === undefined) {
        const current = await store.streamRevision(event.streamId);
        expected = current === undefined ? 0n : current + 1n;
      }
      if (revision < expected) {
        const [stored] = await store.readStream(event.streamId, { fromRevision: revision, maxCount: 1 });
        if (stored?.id !== event.id) throw new ImportConflictError(line, `${event.streamId} already holds another event at revision ${revision}`);
        skipped++;
        next.set(event.streamId, expected);
        continue;
      }
      if (revision > expected) throw new ImportConflictError(line, `${event.streamId} is at revision ${expected - 1n}; revision ${revision} would leave a gap`);
      const data: EventData = { id: event.id, type: event.type, data: event.data, metadata: event.metadata };
      const last = requests[requests.length - 1];
      if (last?.streamId === event.streamId) (last.events as EventData[]).push(data);
      else requests.push({ streamId: event.streamId, events: [data], expectedRevision: revision === 0n ? NO_STREAM : revision - 1n });
      next.set(event.streamId, revision + 1n);
    }
    if (requests.length > 0) await store.appendMany(requests);
    imported += requests.reduce((n, r) => n + r.events.length, 0);
    chunk = [];
  };
  let number = 0;
  for await (const text of lines) {
    number++;
    if (text.trim() === '') continue;
    chunk.push({ line: number, event: parseLine(number, text) });
    if (chunk.length >= chunkSize) await flush();
  }
  await flush();
  return { imported, skipped, streams: next.size };
}

function parseLine(line: number, text: string): ExportedEvent {
  let value: Partial<ExportedEvent>;
  try {
    value = JSON.parse(text) as Partial<ExportedEvent>;
  } catch (error) {
    throw new InvalidImportError(line, `not JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null) throw new InvalidImportError(line, 'not an exported event');
  if (typeof value.streamId !== 'string' || value.streamId === '') throw new InvalidImportError(line, 'no streamId');
  if (!Number.isInteger(value.revision) || value.revision! < 0) throw new InvalidImportError(line, 'no revision');
  if (typeof value.id !== 'string' || typeof value.type !== 'string') throw new InvalidImportError(line, 'no id or type');
  if (typeof value.metadata !== 'object' || value.metadata === null || typeof value.metadata.schemaVersion !== 'number') {
    throw new InvalidImportError(line, 'no metadata with a schemaVersion');
  }
  return value as ExportedEvent;
}
