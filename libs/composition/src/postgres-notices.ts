import { PgNotificationListener } from '@chronicle/event-store/postgres';

/**
 * A LISTEN on `channel` over a connection of its own, reconnected with backoff when dropped;
 * `onNotice` runs for each notice and after every (re)connection, when notices may have been
 * missed. What the read model's rebuild service is given to hear of rebuild requests.
 */
export function postgresNotices(url: string): (channel: string, onNotice: () => void) => { ready(): Promise<void>; close(): Promise<void> } {
  return (channel, onNotice) => {
    const listener = new PgNotificationListener({ clientConfig: { connectionString: url, application_name: `chronicle-listen:${channel}` }, channel }, () => onNotice());
    return { ready: () => listener.ready(), close: () => listener.close() };
  };
}
