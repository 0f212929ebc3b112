import { EXECUTION_PROJECTION } from '../projection/execution-projector.js';
import { CodedError } from '@chronicle/errors';

/**
 * The `projection_rebuilds` row of a projection: PENDING (asked for), RUNNING (replaying into
 * the shadow), SWAPPING (the shadow replaces the live tables), then DONE or FAILED. A row left
 * RUNNING or SWAPPING by a crash is resumed by the next projection service that starts.
 */
export const REBUILD_STATES = ['PENDING', 'RUNNING', 'SWAPPING', 'DONE', 'FAILED'] as const;
export type RebuildState = (typeof REBUILD_STATES)[number];
export const ACTIVE_REBUILD_STATES: readonly RebuildState[] = ['PENDING', 'RUNNING', 'SWAPPING'];

/** The projections a rebuild can replay (the others are not built from the event log). */
export const REBUILDABLE_PROJECTIONS: readonly string[] = [EXECUTION_PROJECTION];

/** The Postgres channel a rebuild request is announced on (payload: the projection's name), so the projection service needs no polling. */
export const REBUILD_REQUESTS_CHANNEL = 'chronicle_projection_rebuilds';

export interface RebuildView {
  readonly name: string;
  readonly state: RebuildState;
  readonly requestedBy?: string;
  readonly requestedAt: string;
  readonly startedAt?: string;
  readonly updatedAt: string;
  readonly finishedAt?: string;
  /** How many times a service started it (more than 1: resumed after a crash or a restart). */
  readonly runs: number;
  /** Shadow checkpoint the last run started from (undefined: from the beginning of the log). */
  readonly resumedFrom?: string;
  /** Shadow checkpoint: the last log position replayed. */
  readonly position?: string;
  readonly headPosition?: string;
  readonly eventsProjected: number;
  readonly eventsPerSecond?: number;
  readonly etaSeconds?: number;
  readonly error?: string;
}

export class UnknownProjectionError extends CodedError {
  constructor(readonly projection: string) {
    super('PROJECTION_NOT_FOUND', `no rebuildable projection ${projection}; rebuildable: ${REBUILDABLE_PROJECTIONS.join(', ')}`);
  }
}

/** A DataSource, an EntityManager or a QueryRunner: whatever runs SQL. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

interface RebuildRow {
  name: string;
  state: RebuildState;
  requested_by: string | null;
  requested_at: Date;
  started_at: Date | null;
  updated_at: Date;
  finished_at: Date | null;
  runs: number;
  resumed_from: string | null;
  position: string | null;
  head_position: string | null;
  events_projected: string;
  events_per_second: number | null;
  eta_seconds: number | null;
  error: string | null;
}

const COLUMNS = `name, state, requested_by, requested_at, started_at, updated_at, finished_at, runs, resumed_from::text AS resumed_from,
  position::text AS position, head_position::text AS head_position, events_projected::text AS events_projected, events_per_second, eta_seconds, error`;

/**
 * Asks for a rebuild. One at a time per projection: while one is PENDING, RUNNING or SWAPPING
 * the call answers that one; after DONE or FAILED it starts a new one from scratch.
 */
export async function requestRebuild(db: Queryable, name: string, actor?: string): Promise<RebuildView> {
  if (!REBUILDABLE_PROJECTIONS.includes(name)) throw new UnknownProjectionError(name);
  // One statement, so the notice is sent when the row commits (a listener then reads it); sent
  // also when a rebuild was already asked for, which wakes nobody that is not already working.
  await db.query(
    `WITH requested AS (
       INSERT INTO projection_rebuilds (name, state, requested_by, requested_at, updated_at) VALUES ($1, 'PENDING', $2, now(), now())
       ON CONFLICT (name) DO UPDATE SET state = 'PENDING', requested_by = EXCLUDED.requested_by, requested_at = now(), updated_at = now(),
         started_at = NULL, finished_at = NULL, runs = 0, resumed_from = NULL, position = NULL, head_position = NULL, events_projected = 0,
         events_per_second = NULL, eta_seconds = NULL, error = NULL
       WHERE projection_rebuilds.state IN ('DONE', 'FAILED')
       RETURNING name
     )
     SELECT pg_notify('${REBUILD_REQUESTS_CHANNEL}', $1) AS notified`,
    [name, actor ?? null],
  );
  return (await getRebuild(db, name))!;
}

export async function getRebuild(db: Queryable, name: string): Promise<RebuildView | undefined> {
  const rows = (await db.query(`SELECT ${COLUMNS} FROM projection_rebuilds WHERE name = $1`, [name])) as RebuildRow[];
  return rows.length === 0 ? undefined : toView(rows[0]!);
}

export async function listRebuilds(db: Queryable): Promise<RebuildView[]> {
  return ((await db.query(`SELECT ${COLUMNS} FROM projection_rebuilds ORDER BY name`)) as RebuildRow[]).map(toView);
}

/** A service took the rebuild: RUNNING, one more run, started from `resumedFrom`. */
export async function markRebuildStarted(db: Queryable, name: string, resumedFrom: bigint | undefined, head: bigint | undefined): Promise<void> {
  await db.query(
    `UPDATE projection_rebuilds SET state = 'RUNNING', runs = runs + 1, started_at = COALESCE(started_at, now()), updated_at = now(),
       resumed_from = $2::numeric, position = COALESCE($2::numeric, position), head_position = $3::numeric, error = NULL
     WHERE name = $1`,
    [name, resumedFrom?.toString() ?? null, head?.toString() ?? null],
  );
}

export interface RebuildProgressRecord {
  readonly position?: bigint;
  readonly head?: bigint;
  readonly eventsProjected: number;
  readonly eventsPerSecond?: number;
  readonly etaSeconds?: number;
}

export async function recordRebuildProgress(db: Queryable, name: string, state: RebuildState, progress: RebuildProgressRecord): Promise<void> {
  await db.query(
    `UPDATE projection_rebuilds SET state = $2, updated_at = now(), position = COALESCE($3::numeric, position), head_position = COALESCE($4::numeric, head_position),
       events_projected = $5, events_per_second = $6, eta_seconds = $7
     WHERE name = $1`,
    [name, state, progress.position?.toString() ?? null, progress.head?.toString() ?? null, progress.eventsProjected, progress.eventsPerSecond ?? null, progress.etaSeconds ?? null],
  );
}

export async function markRebuildDone(db: Queryable, name: string, position: bigint | undefined): Promise<void> {
  await db.query(
    `UPDATE projection_rebuilds SET state = 'DONE', finished_at = now(), updated_at = now(), position = COALESCE($2::numeric, position), eta_seconds = 0
     WHERE name = $1`,
    [name, position?.toString() ?? null],
  );
}

export async function markRebuildFailed(db: Queryable, name: string, error: string): Promise<void> {
  await db.query(`UPDATE projection_rebuilds SET state = 'FAILED', finished_at = now(), updated_at = now(), error = $2 WHERE name = $1`, [name, error]);
}

function toView(row: RebuildRow): RebuildView {
  const optional = <T>(value: T | null): T | undefined => (value === null ? undefined : value);
  return {
    name: row.name,
    state: row.state,
    requestedBy: optional(row.requested_by),
    requestedAt: row.requested_at.toISOString(),
    startedAt: row.started_at?.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    finishedAt: row.finished_at?.toISOString(),
    runs: row.runs,
    resumedFrom: optional(row.resumed_from),
    position: optional(row.position),
    headPosition: optional(row.head_position),
    eventsProjected: Number(row.events_projected),
    eventsPerSecond: optional(row.events_per_second),
    etaSeconds: optional(row.eta_seconds),
    error: optional(row.error),
  };
}
