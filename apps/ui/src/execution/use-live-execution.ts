import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../api/graphql-client.js';
import { EXECUTION, EXECUTION_EVENTS, EXECUTION_HISTORY, EXECUTION_UPDATED } from '../api/operations.js';
import type { Execution, ExecutionEvent } from '../api/types.js';
import { useSession } from '../auth/session-context.js';
import { useLive } from '../hooks/use-live.js';

/** The execution as it is now: read once, then kept current by `executionUpdated` (newest revision wins). */
export function useLiveExecution(id: string) {
  const { client } = useSession();
  const [execution, setExecution] = useState<Execution | null>();
  const [error, setError] = useState<string>();
  const keepNewest = useCallback((next: Execution) => setExecution((current) => (current && current.id === next.id && current.revision > next.revision ? current : next)), []);

  const read = useCallback(
    () =>
      client
        .request<{ execution: Execution | null }>(EXECUTION, { id })
        .then(({ execution: found }) => (found ? keepNewest(found) : setExecution((current) => current ?? null)))
        .catch((e: unknown) => setError(errorMessage(e))),
    [client, id, keepNewest],
  );

  useEffect(() => {
    setExecution(undefined);
    setError(undefined);
    void read();
  }, [read]);

  // Back after a lost connection: the updates made meanwhile were never sent, so read again.
  const liveError = useLive<{ executionUpdated: Execution }>(EXECUTION_UPDATED, { id }, (data) => keepNewest(data.executionUpdated), () => void read());
  return { execution, error, liveError };
}

/** Every event of the execution from the event store, then the new ones live (for the history timeline). */
export function useExecutionHistory(id: string) {
  const { client } = useSession();
  const [events, setEvents] = useState<ExecutionEvent[]>([]);
  const [error, setError] = useState<string>();
  const [after, setAfter] = useState<number | null>(null);

  useEffect(() => {
    setEvents([]);
    setAfter(null);
    client
      .request<{ executionHistory: ExecutionEvent[] }>(EXECUTION_HISTORY, { id })
      .then(({ executionHistory }) => {
        setEvents(executionHistory);
        setAfter(executionHistory.length ? executionHistory[executionHistory.length - 1].revision : -1);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [client, id]);

  const liveError = useLive<{ executionEvents: ExecutionEvent }>(
    EXECUTION_EVENTS,
    after === null ? null : { id, afterRevision: after < 0 ? undefined : after },
    ({ executionEvents: event }) =>
      setEvents((current) => (current.some((e) => e.revision === event.revision) ? current : [...current, event].sort((a, b) => a.revision - b.revision))),
  );
  return { events, error: error ?? liveError };
}
