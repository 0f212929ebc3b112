import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/graphql-client.js';
import { useSession } from '../auth/session-context.js';

export interface QueryState<T> {
  readonly data: T | undefined;
  readonly error: string | undefined;
  readonly loading: boolean;
  reload(): void;
  /** Replaces the data locally (live updates). */
  setData(update: (current: T | undefined) => T | undefined): void;
}

/** Runs a query when its variables change; `skip` holds it back. Errors become a message. */
export function useApiQuery<T>(query: string, variables: Record<string, unknown> = {}, skip = false): QueryState<T> {
  const { client } = useSession();
  const [data, setDataState] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(!skip);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(variables);
  const latest = useRef(0);

  useEffect(() => {
    if (skip) return;
    const ticket = ++latest.current;
    setLoading(true);
    client
      .request<T>(query, JSON.parse(key) as Record<string, unknown>)
      .then((result) => {
        if (ticket !== latest.current) return;
        setDataState(result);
        setError(undefined);
      })
      .catch((e: unknown) => ticket === latest.current && setError(errorMessage(e)))
      .finally(() => ticket === latest.current && setLoading(false));
  }, [client, query, key, skip, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  const setData = useCallback((update: (current: T | undefined) => T | undefined) => setDataState(update), []);
  return { data, error, loading, reload, setData };
}
