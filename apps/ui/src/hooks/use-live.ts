import { useEffect, useRef, useState } from 'react';
import { subscribe } from '../api/live-client.js';
import { useSession } from '../auth/session-context.js';

/**
 * A live subscription for as long as the component shows it; each message goes to `onData`.
 * Answers an error message when the subscription failed (shown, never thrown).
 */
export function useLive<T>(query: string, variables: Record<string, unknown> | null, onData: (data: T) => void): string | undefined {
  const { live } = useSession();
  const [error, setError] = useState<string>();
  const handler = useRef(onData);
  handler.current = onData;
  const key = variables === null ? null : JSON.stringify(variables);

  useEffect(() => {
    if (key === null) return;
    setError(undefined);
    return subscribe<T>(live, query, JSON.parse(key) as Record<string, unknown>, {
      next: (data) => handler.current(data),
      error: setError,
    });
  }, [live, query, key]);
  return error;
}
