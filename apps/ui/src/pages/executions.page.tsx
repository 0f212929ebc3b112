import { Badge, Button, Group, Stack, Text, Title } from '@mantine/core';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { EXECUTIONS, EXECUTIONS_CHANGED } from '../api/operations.js';
import type { Connection, ExecutionSummary } from '../api/types.js';
import { ErrorPanel } from '../components/error-panel.js';
import { ExecutionFilters, filterFromSearch, filterToSearch, type ExecutionFilter } from '../executions/execution-filters.js';
import { ExecutionsTable } from '../executions/executions-table.js';
import { parseLabels } from '../flows/input-values.js';
import { useApiQuery } from '../hooks/use-api-query.js';
import { useLive } from '../hooks/use-live.js';
import { GettingStarted } from '../onboarding/getting-started.js';

const PAGE_SIZE = 25;
type Page = { executions: Connection<ExecutionSummary> };

/** Does a changed execution belong on this page's list (the filters the subscription cannot apply)? */
function matches(e: ExecutionSummary, f: ExecutionFilter, labels: Record<string, string>): boolean {
  if (f.states.length && !f.states.includes(e.state)) return false;
  if (f.mode !== 'ALL' && e.mode !== f.mode) return false;
  if (Object.entries(labels).some(([k, v]) => e.labels?.[k] !== v)) return false;
  const started = e.startDate ? dayjs(e.startDate) : undefined;
  if (f.from && started && started.isBefore(dayjs(f.from))) return false;
  if (f.to && started && started.isAfter(dayjs(f.to))) return false;
  return true;
}

export function ExecutionsPage() {
  const [params, setParams] = useSearchParams();
  const filter = useMemo(() => filterFromSearch(params), [params]);
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const labels = useMemo(() => parseLabels(filter.labels), [filter.labels]);
  const variables = {
    namespace: filter.namespace || undefined,
    flowId: filter.flowId || undefined,
    state: filter.states.length ? filter.states : undefined,
    labels: Object.keys(labels.labels).length ? labels.labels : undefined,
    startDate: filter.from ? dayjs(filter.from).toISOString() : undefined,
    endDate: filter.to ? dayjs(filter.to).toISOString() : undefined,
    mode: filter.mode,
    first: PAGE_SIZE,
    after: cursors[cursors.length - 1] ?? undefined,
  };
  const page = useApiQuery<Page>(EXECUTIONS, variables, Boolean(labels.error));
  const onFirstPage = cursors.length === 1;

  const liveError = useLive<{ executionsChanged: ExecutionSummary }>(
    EXECUTIONS_CHANGED,
    { namespace: variables.namespace, flowId: variables.flowId },
    ({ executionsChanged: changed }) => {
      // A change that lands while the list's query is in flight would be overwritten by that
      // query's answer, which may predate it: ask again, so the answer includes it.
      if (page.loading) page.reload();
      page.setData((current) => {
        if (!current) return current;
        const c = current.executions;
        const at = c.edges.findIndex((edge) => edge.node.id === changed.id);
        if (at >= 0) {
          const edges = c.edges.slice();
          edges[at] = { ...edges[at], node: { ...edges[at].node, ...changed } };
          return { executions: { ...c, edges } };
        }
        if (!onFirstPage || !matches(changed, filter, labels.labels)) return current;
        const edges = [{ node: changed, cursor: c.edges[0]?.cursor ?? '' }, ...c.edges].slice(0, PAGE_SIZE);
        return { executions: { ...c, edges, totalCount: c.totalCount + 1 } };
      });
    },
    // Back after a lost connection: the changes made meanwhile were never sent.
    () => page.reload(),
  );

  const apply = (f: ExecutionFilter) => {
    setCursors([null]);
    setParams(filterToSearch(f));
  };
  const connection = page.data?.executions;

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Executions</Title>
        <Badge color={liveError ? 'red' : 'green'} variant="dot" title={liveError ?? 'Updates arrive live'}>
          {liveError ? 'live updates lost' : 'live'}
        </Badge>
      </Group>
      <ExecutionFilters value={filter} onApply={apply} />
      <ErrorPanel title="Labels" message={labels.error} />
      <ErrorPanel title="Executions could not be loaded" message={page.error} />
      {connection && <ExecutionsTable executions={connection.edges.map((e) => e.node)} />}
      {connection && connection.edges.length === 0 && (params.size === 0 && onFirstPage ? <GettingStarted /> : <Text c="dimmed">No execution matches.</Text>)}
      <Group justify="space-between">
        <Text size="sm" c="dimmed" aria-live="polite">
          {connection ? `${connection.totalCount} execution${connection.totalCount === 1 ? '' : 's'} · page ${cursors.length}` : ''}
        </Text>
        <Group gap="xs">
          <Button variant="default" disabled={onFirstPage} onClick={() => setCursors((c) => c.slice(0, -1))}>
            Previous page
          </Button>
          <Button variant="default" disabled={!connection?.pageInfo.hasNextPage} onClick={() => setCursors((c) => [...c, connection?.pageInfo.endCursor ?? null])}>
            Next page
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
