import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Client } from 'graphql-ws';
import { ApiSurface, loadApiSurface } from '../api/api-surface.js';
import { ApiRequestError, GraphQLClient } from '../api/graphql-client.js';
import { createLiveClient } from '../api/live-client.js';
import { probeAccess, type Access } from './access-probe.js';
import { tokenStorage } from './token-storage.js';

export interface Session {
  readonly client: GraphQLClient;
  readonly live: Client;
  readonly access: Access;
  readonly surface: ApiSurface;
}

interface SessionState {
  readonly session: Session | null;
  /** True while a token kept from earlier in this tab is being checked. */
  readonly restoring: boolean;
  signIn(token: string): Promise<void>;
  signOut(): void;
}

const SessionContext = createContext<SessionState | null>(null);

async function open(token: string): Promise<Session> {
  const client = new GraphQLClient(token);
  const surface = await loadApiSurface(client);
  const access = await probeAccess(client, surface);
  return { client, live: createLiveClient(token), access, surface };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [restoring, setRestoring] = useState(() => tokenStorage.read() !== null);

  useEffect(() => {
    const kept = tokenStorage.read();
    if (!kept) return;
    open(kept)
      .then(setSession)
      .catch(() => tokenStorage.clear())
      .finally(() => setRestoring(false));
  }, []);

  const signIn = useCallback(async (token: string) => {
    try {
      const opened = await open(token.trim());
      tokenStorage.write(token.trim());
      setSession(opened);
    } catch (error) {
      if (error instanceof ApiRequestError && error.code === 'UNAUTHENTICATED') throw new Error('This token is not accepted by Chronicle.');
      throw error;
    }
  }, []);

  const signOut = useCallback(() => {
    tokenStorage.clear();
    setSession((current) => {
      void current?.live.dispose();
      return null;
    });
  }, []);

  const value = useMemo(() => ({ session, restoring, signIn, signOut }), [session, restoring, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionState(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSessionState outside SessionProvider');
  return state;
}

/** The signed-in session; pages under the signed-in layout only. */
export function useSession(): Session {
  const { session } = useSessionState();
  if (!session) throw new Error('not signed in');
  return session;
}
