import DataLoader from 'dataloader';
import type { LogPage, ReadModelQueries } from '@chronicle/read-model';

export interface LogPageKey {
  readonly executionId: string;
  readonly first?: number;
  readonly after?: string;
  readonly minLevel?: string;
}

/**
 * Batch loaders of one request: a nested field asked on a page of executions costs one
 * query for the whole page, not one per execution. No cache: a subscription's context
 * lives as long as its connection, and must not answer stale pages.
 */
export interface GatewayLoaders {
  readonly logPages: DataLoader<LogPageKey, LogPage, string>;
}

export function createLoaders(readModel: ReadModelQueries): GatewayLoaders {
  return {
    logPages: new DataLoader<LogPageKey, LogPage, string>(
      async (keys) => {
        // One query per distinct page shape (usually one): the executions differ, the arguments do not.
        const groups = new Map<string, LogPageKey[]>();
        for (const key of keys) {
          const shape = JSON.stringify([key.first, key.after, key.minLevel]);
          groups.set(shape, [...(groups.get(shape) ?? []), key]);
        }
        const answers = new Map<string, LogPage>();
        await Promise.all([...groups.values()].map(async (group) => {
          const { first, after, minLevel } = group[0]!;
          const pages = await readModel.getLogPages([...new Set(group.map((k) => k.executionId))], { first, after, minLevel });
          for (const key of group) answers.set(keyOf(key), pages.get(key.executionId)!);
        }));
        return keys.map((key) => answers.get(keyOf(key))!);
      },
      { cache: false, cacheKeyFn: keyOf, maxBatchSize: 1_000 },
    ),
  };
}

const keyOf = (key: LogPageKey): string => JSON.stringify([key.executionId, key.first, key.after, key.minLevel]);
