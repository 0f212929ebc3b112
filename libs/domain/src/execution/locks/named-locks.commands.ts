/** The lock manager granted every lock of `holder`'s claim (sent on the commands topic). */
export interface GrantLocks {
  readonly type: 'GrantLocks';
  readonly executionId: string;
  readonly holder: string;
  readonly names: readonly string[];
  readonly now: string;
}

/** An ADMIN force-released `name` from `holder` (the lock table already moved on); recorded in the log. */
export interface RevokeLock {
  readonly type: 'RevokeLock';
  readonly executionId: string;
  readonly holder: string;
  readonly name: string;
  /** Who forced it (token name). */
  readonly by: string;
  readonly now: string;
}
