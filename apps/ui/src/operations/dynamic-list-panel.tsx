import { Group, ScrollArea, Table, Text } from '@mantine/core';
import { useEffect, useState, type ReactNode } from 'react';
import { errorMessage } from '../api/graphql-client.js';
import { useSession } from '../auth/session-context.js';
import { ErrorPanel } from '../components/error-panel.js';
import { formatDate } from '../components/format.js';
import { StateBadge } from '../components/state-badge.js';
import { describeList, listQuery, type DynamicList } from './dynamic-api.js';

export interface RowAction {
  label: string;
  /** Mutation names that do it, the first the API has wins. */
  mutations: string[];
  color?: string;
  when?(row: Record<string, unknown>): boolean;
  /** Only for tokens that may do it. */
  allowed: boolean;
}

const cell = (column: string, value: unknown): ReactNode => {
  if (value === null || value === undefined) return '—';
  if (column === 'state' && typeof value === 'string') return <StateBadge state={value} size="xs" />;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return formatDate(value);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
};

/** A list the API offers under one of `queries`, with actions; `fallback` when it does not. */
export function DynamicListPanel({ queries, title, actions, fallback, renderAction }: {
  queries: string[];
  title: string;
  actions: RowAction[];
  fallback: ReactNode;
  renderAction(action: RowAction, mutation: string, row: Record<string, unknown>, reload: () => void): ReactNode;
}) {
  const { client, surface } = useSession();
  const [list, setList] = useState<DynamicList | null>();
  const [rows, setRows] = useState<Array<Record<string, unknown>>>([]);
  const [error, setError] = useState<string>();
  const [tick, setTick] = useState(0);
  const reload = () => setTick((t) => t + 1);
  const queriesKey = queries.join(',');

  useEffect(() => {
    describeList(client, surface, ...queriesKey.split(','))
      .then(async (found) => {
        setList(found ?? null);
        if (!found) return;
        const data = await client.request<Record<string, Array<Record<string, unknown>>>>(listQuery(found));
        setRows(data[found.field.name] ?? []);
        setError(undefined);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [client, surface, queriesKey, tick]);

  if (error) return <ErrorPanel title={`${title} could not be loaded`} message={error} />;
  if (list === undefined) return <Text c="dimmed">Loading…</Text>;
  if (list === null) return <>{fallback}</>;
  const offered = actions.filter((a) => a.allowed).map((a) => ({ action: a, mutation: surface.firstMutation(...a.mutations) })).filter((a) => a.mutation);
  return (
    <ScrollArea>
      <Table striped miw={640} aria-label={title} fz="sm">
        <Table.Thead>
          <Table.Tr>
            {list.columns.map((c) => (
              <Table.Th key={c}>{c}</Table.Th>
            ))}
            {offered.length > 0 && <Table.Th>Actions</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row, i) => (
            <Table.Tr key={i}>
              {list.columns.map((c) => (
                <Table.Td key={c}>{cell(c, row[c])}</Table.Td>
              ))}
              {offered.length > 0 && (
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    {offered.filter(({ action }) => action.when?.(row) ?? true).map(({ action, mutation }) => (
                      <span key={action.label}>{renderAction(action, mutation!, row, reload)}</span>
                    ))}
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {rows.length === 0 && <Text c="dimmed" size="sm">None.</Text>}
    </ScrollArea>
  );
}
