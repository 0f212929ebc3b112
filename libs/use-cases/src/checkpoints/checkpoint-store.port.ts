/**
 * Port: where a log follower (the outbox relay, the scheduler's flow-trigger listener) remembers
 * the last log position it fully handled. @chronicle/stores keeps it in Postgres
 * (`PostgresCheckpointStore`), tests in memory (`InMemoryCheckpointStore`).
 */
export interface CheckpointStore {
  load(name: string): Promise<bigint | undefined>;
  save(name: string, position: bigint): Promise<void>;
  /** Writes what a deferring store kept (see ThrottledCheckpointStore); called when a subscriber stops. */
  flush?(): Promise<void>;
}
