import type { Execution } from '../execution.state.js';
import type { LockClaim } from './lock-claim.js';
import type { NamedLockEvent } from './named-locks.events.js';

/** Folds the named-lock events into `Execution.lockClaims` (one claim per holder). */
export const evolveNamedLocks = (execution: Execution, event: NamedLockEvent): Execution => {
  const claims = execution.lockClaims ?? [];
  const others = claims.filter((c) => c.holder !== event.data.holder);
  const mine = claims.find((c) => c.holder === event.data.holder);
  const taskRun = event.data.taskRunId !== undefined ? { taskRunId: event.data.taskRunId } : {};
  switch (event.type) {
    case 'LocksRequested':
      return withClaims(execution, [...others, { holder: event.data.holder, ...taskRun, names: event.data.names, state: 'WAITING', since: event.data.at }]);
    case 'LocksAcquired':
      return withClaims(execution, [...others, { holder: event.data.holder, ...taskRun, names: event.data.names, state: 'HELD', since: event.data.at }]);
    case 'LocksReleased':
      return withClaims(execution, others);
    case 'LockRevoked':
      return mine === undefined ? execution : withClaims(execution, [...others, { ...mine, names: mine.names.filter((n) => n !== event.data.name) }]);
  }
};

const withClaims = (execution: Execution, claims: readonly LockClaim[]): Execution => {
  if (claims.length > 0) return { ...execution, lockClaims: claims };
  const { lockClaims: _none, ...rest } = execution;
  return rest;
};
