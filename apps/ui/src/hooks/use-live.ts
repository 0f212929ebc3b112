import { useEffect, useRef, useState } from 'react';
import { onResumed, subscribe } from '../api/live-client.js';
import { useSession } from '../auth/session-context.js';

/**
 * A live subscription for as long as the component shows it; each message goes to `onData`.
 * `onResume` runs when the connection comes back after a loss: changes made while it was down
 * are not replayed, so a view that read once and then applies changes reads again there.
 * Answers an error message when the subscription failed (shown, never thrown).
 */
export function useLive<T>(query: string, variables: Record<string, unknown> | null, onData: (data: T) => void, onResume?: () => void): string | undefined {
  const { live } = useSession();
  const [error, setError] = useState<string>();
  const handler = useRef(onData);
  handler.current = onData;
  const resume = useRef(onResume);
  resume.current = onResume;
  const key = variables === null ? null : JSON.stringify(variables);

  useEffect(() => {
    if (key === null) return;
    return onResumed(live, () => {
      setError(undefined);
      resume.current?.();
    });
  }, [live, key]);

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
