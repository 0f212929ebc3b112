import { registerOpenSubscriptions } from '@chronicle/runtime';

let open = 0;

/**
 * Acknowledged graphql-ws connections of this process, reported on
 * `chronicle_open_subscriptions{kind="graphql_ws"}` (graphql-ws calls onDisconnect only for
 * connections it acknowledged, so the count cannot go wrong on refused ones).
 */
export const graphqlWsConnections = {
  opened(): void {
    open += 1;
  },
  closed(): void {
    open = Math.max(0, open - 1);
  },
  get count(): number {
    return open;
  },
};

registerOpenSubscriptions('graphql_ws', () => open);
