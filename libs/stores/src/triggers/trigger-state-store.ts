import type { MultipleConditionWindow } from '@chronicle/domain';
import type { TriggerKey, TriggerState, TriggerStates } from '@chronicle/use-cases';
import pg from 'pg';
import { ensureSchemaLocked } from '../schema-lock.js';

const CHANNEL = 'chronicle_trigger_state';

/** Durable per-trigger state: the last tick fired and the run-time enabled flag. */
export class TriggerStateStore implements TriggerStates {
  constructor(private readonly pool: pg.Pool) {}

  /** Under the schema lock: the gateway and the scheduler (one process standalone) ensure it at the same time. */
  async ensureSchema(): Promise<void> {
    await ensureSchemaLocked(this.pool, 'trigger_state', [
      `CREATE TABLE IF NOT EXISTS trigger_state (
      namespace text NOT NULL, flow_id text NOT NULL, trigger_id text NOT NULL,
      last_fired timestamptz, enabled boolean NOT NULL DEFAULT true, updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (namespace, flow_id, trigger_id))`,
      // A Flow trigger's MultipleCondition / preconditions windows: which conditions held in which window.
      `CREATE TABLE IF NOT EXISTS trigger_condition_windows (
      namespace text NOT NULL, flow_id text NOT NULL, trigger_id text NOT NULL, condition_id text NOT NULL,
      window_start timestamptz NOT NULL, window_end timestamptz NOT NULL, results jsonb NOT NULL,
      PRIMARY KEY (namespace, flow_id, trigger_id, condition_id))`,
    ]);
  }

  /** The stored MultipleCondition windows of one trigger, by condition id. */
  async windows(key: TriggerKey): Promise<Map<string, MultipleConditionWindow>> {
    const r = await this.pool.query<{ condition_id: string; window_start: Date; window_end: Date; results: Record<string, true> }>(
      'SELECT condition_id, window_start, window_end, results FROM trigger_condition_windows WHERE namespace = $1 AND flow_id = $2 AND trigger_id = $3',
      [key.namespace, key.flowId, key.triggerId],
    );
    return new Map(r.rows.map((row) => [row.condition_id, { conditionId: row.condition_id, start: row.window_start.getTime(), end: row.window_end.getTime(), results: row.results }]));
  }

  /** Stores and deletes windows of one trigger in one statement each (one scheduler evaluates at a time). */
  async updateWindows(key: TriggerKey, save: readonly MultipleConditionWindow[], remove: readonly string[]): Promise<void> {
    if (remove.length > 0) {
      await this.pool.query('DELETE FROM trigger_condition_windows WHERE namespace = $1 AND flow_id = $2 AND trigger_id = $3 AND condition_id = ANY($4)', [key.namespace, key.flowId, key.triggerId, remove]);
    }
    if (save.length > 0) {
      await this.pool.query(
        `INSERT INTO trigger_condition_windows (namespace, flow_id, trigger_id, condition_id, window_start, window_end, results)
         SELECT $1, $2, $3, w.condition_id, w.window_start, w.window_end, w.results
           FROM jsonb_to_recordset($4::jsonb) AS w(condition_id text, window_start timestamptz, window_end timestamptz, results jsonb)
         ON CONFLICT (namespace, flow_id, trigger_id, condition_id) DO UPDATE
           SET window_start = EXCLUDED.window_start, window_end = EXCLUDED.window_end, results = EXCLUDED.results`,
        [key.namespace, key.flowId, key.triggerId, JSON.stringify(save.map((w) => ({ condition_id: w.conditionId, window_start: new Date(w.start).toISOString(), window_end: new Date(w.end).toISOString(), results: w.results })))],
      );
    }
  }

  async all(): Promise<TriggerState[]> {
    const r = await this.pool.query<{ namespace: string; flow_id: string; trigger_id: string; last_fired: Date | null; enabled: boolean }>('SELECT * FROM trigger_state');
    return r.rows.map((row) => ({ namespace: row.namespace, flowId: row.flow_id, triggerId: row.trigger_id, lastFired: row.last_fired ?? undefined, enabled: row.enabled }));
  }

  async get(key: TriggerKey): Promise<TriggerState | undefined> {
    const r = await this.pool.query<{ last_fired: Date | null; enabled: boolean }>('SELECT last_fired, enabled FROM trigger_state WHERE namespace = $1 AND flow_id = $2 AND trigger_id = $3', [key.namespace, key.flowId, key.triggerId]);
    const row = r.rows[0];
    return row ? { ...key, lastFired: row.last_fired ?? undefined, enabled: row.enabled } : undefined;
  }

  /** Moves last_fired forward only (two schedulers firing the same tick agree). */
  async markFired(key: TriggerKey, tick: Date): Promise<void> {
    await this.pool.query(
      `INSERT INTO trigger_state (namespace, flow_id, trigger_id, last_fired) VALUES ($1, $2, $3, $4)
       ON CONFLICT (namespace, flow_id, trigger_id) DO UPDATE SET last_fired = GREATEST(trigger_state.last_fired, EXCLUDED.last_fired), updated_at = now()`,
      [key.namespace, key.flowId, key.triggerId, tick],
    );
  }

  /**
   * Enables or disables a trigger at run time. Enabling moves `last_fired` to now: ticks that
   * fell while it was off are not "missed" (backfill them explicitly if wanted). Schedulers are
   * told at once through NOTIFY.
   */
  async setEnabled(key: TriggerKey, enabled: boolean): Promise<void> {
    await this.pool.query(
      `WITH changed AS (
         INSERT INTO trigger_state (namespace, flow_id, trigger_id, enabled, last_fired) VALUES ($1, $2, $3, $4, CASE WHEN $4 THEN now() END)
         ON CONFLICT (namespace, flow_id, trigger_id) DO UPDATE SET enabled = EXCLUDED.enabled,
           last_fired = CASE WHEN EXCLUDED.enabled AND NOT trigger_state.enabled THEN GREATEST(trigger_state.last_fired, now()) ELSE trigger_state.last_fired END,
           updated_at = now()
         RETURNING 1)
       SELECT pg_notify('${CHANNEL}', $1 || '.' || $2 || '/' || $3) FROM changed`,
      [key.namespace, key.flowId, key.triggerId, enabled],
    );
  }

  /** Calls `onChange` whenever any trigger is enabled or disabled (any process). */
  async listen(onChange: () => void, onError: (error: Error) => void): Promise<() => Promise<void>> {
    const client = await this.pool.connect();
    let listening = true;
    const notified = () => onChange();
    const failed = (error: Error) => (listening ? onError(error) : undefined);
    client.on('notification', notified);
    client.on('error', failed);
    await client.query(`LISTEN ${CHANNEL}`);
    return async () => {
      listening = false;
      await client.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
      // The connection goes back to the pool: it must not keep calling us.
      client.off('notification', notified);
      client.off('error', failed);
      client.release();
    };
  }
}
