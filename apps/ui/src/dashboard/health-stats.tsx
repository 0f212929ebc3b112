import type { ComponentType } from 'react';
import { DEAD_LETTER_QUEUES, PROJECTIONS } from '../api/operations.js';
import type { DeadLetterQueue, ProjectionStatus } from '../api/types.js';
import { useSession } from '../auth/session-context.js';
import { useApiQuery } from '../hooks/use-api-query.js';

/** Projection lag and dead letters: how far the read model trails the log, what failed to deliver. */
export function HealthStats({ Stat }: { Stat: ComponentType<{ label: string; value: string; testId?: string }> }) {
  const { surface, access } = useSession();
  const projections = useApiQuery<{ projections: ProjectionStatus[] }>(PROJECTIONS, {}, !surface.hasQuery('projections'));
  const deadLetters = useApiQuery<{ deadLetterQueues: DeadLetterQueue[] }>(DEAD_LETTER_QUEUES, {}, !surface.hasQuery('deadLetterQueues') || !access.canExecute);
  const lag = projections.data?.projections.reduce((max, p) => Math.max(max, p.lagEvents), 0);
  const letters = deadLetters.data?.deadLetterQueues.reduce((sum, q) => sum + q.count, 0);
  return (
    <>
      <Stat label="Projection lag" value={lag === undefined ? '—' : `${lag} events`} testId="stat-lag" />
      <Stat label="Dead letters" value={letters === undefined ? '—' : String(letters)} testId="stat-dead-letters" />
    </>
  );
}
