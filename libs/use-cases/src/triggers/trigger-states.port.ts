import type { MultipleConditionWindow } from '@chronicle/domain';

export interface TriggerKey {
  readonly namespace: string;
  readonly flowId: string;
  readonly triggerId: string;
}

export interface TriggerState extends TriggerKey {
  readonly lastFired?: Date;
  /** Disabled at run time (API or `stopAfter`), whatever the flow says. */
  readonly enabled: boolean;
}

/** Port: durable per-trigger state (the last tick fired and the run-time enabled flag); @chronicle/stores keeps it in Postgres. */
export interface TriggerStates {
  all(): Promise<TriggerState[]>;
  get(key: TriggerKey): Promise<TriggerState | undefined>;
  /** Moves last_fired forward only (two schedulers firing the same tick agree). */
  markFired(key: TriggerKey, tick: Date): Promise<void>;
  /** Enables or disables a trigger at run time; every scheduler is told. */
  setEnabled(key: TriggerKey, enabled: boolean): Promise<void>;
  /** Calls `onChange` whenever any trigger is enabled or disabled (any process); returns the stop function. */
  listen(onChange: () => void, onError: (error: Error) => void): Promise<() => Promise<void>>;
  /** A Flow trigger's stored MultipleCondition / preconditions windows, by condition id. */
  windows(key: TriggerKey): Promise<Map<string, MultipleConditionWindow>>;
  /** Stores and deletes windows of one trigger (one scheduler evaluates at a time). */
  updateWindows(key: TriggerKey, save: readonly MultipleConditionWindow[], remove: readonly string[]): Promise<void>;
}
