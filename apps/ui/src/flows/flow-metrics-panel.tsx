import { Paper, SimpleGrid, Skeleton, Text } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { errorMessage } from '../api/graphql-client.js';
import { EXECUTIONS } from '../api/operations.js';
import type { Connection, ExecutionSummary, TaskRun } from '../api/types.js';
import { useSession } from '../auth/session-context.js';
import { TimeSeriesChart } from '../charts/time-series-chart.js';
import { ErrorPanel } from '../components/error-panel.js';
import { formatDuration, shortId } from '../components/format.js';
import { metricsOverExecutions, type ExecutionRuns } from './flow-metrics.js';

const LAST = 20;
const COLORS = ['indigo', 'teal', 'orange', 'grape', 'cyan', 'red', 'lime', 'pink'];

/** Task durations, counters and timers over the flow's last executions, one chart per kind. */
export function FlowMetricsPanel({ namespace, flowId }: { namespace: string; flowId: string }) {
  const { client } = useSession();
  const [executions, setExecutions] = useState<ExecutionRuns[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let current = true;
    (async () => {
      const page = await client.request<{ executions: Connection<ExecutionSummary> }>(EXECUTIONS, { namespace, flowId, first: LAST });
      const ids = page.executions.edges.map((e) => e.node.id);
      if (ids.length === 0) return [];
      // One request for all of them: an alias per execution.
      const fields = 'id startDate taskRuns { id taskId value state startDate endDate metrics attempts { number state } }';
      const query = `query FlowMetrics(${ids.map((_, i) => `$id${i}: ID!`).join(', ')}) { ${ids.map((_, i) => `e${i}: execution(id: $id${i}) { ${fields} }`).join(' ')} }`;
      const data = await client.request<Record<string, ExecutionRuns | null>>(query, Object.fromEntries(ids.map((id, i) => [`id${i}`, id])));
      return Object.values(data).filter((e): e is ExecutionRuns => !!e);
    })()
      .then((list) => current && (setExecutions(list), setError(undefined)))
      .catch((e: unknown) => current && setError(errorMessage(e)));
    return () => {
      current = false;
    };
  }, [client, namespace, flowId]);

  const data = useMemo(() => (executions ? metricsOverExecutions(executions) : undefined), [executions]);
  if (error) return <ErrorPanel title="Metrics could not be loaded" message={error} />;
  if (!data) return <Skeleton h={200} aria-label="Loading metrics" />;
  if (data.executions.length === 0) return <Text c="dimmed">No execution yet: run the flow and its task durations and metrics show here.</Text>;
  const points = (kind: string) => {
    const list = data.series.filter((s) => s.kind === kind);
    return {
      series: list.map((s, i) => ({ key: s.key, label: s.label, color: COLORS[i % COLORS.length]! })),
      points: data.executions.map((e, i) => ({ at: e.startDate ?? '', values: Object.fromEntries(list.map((s) => [s.key, s.values[i] ?? null])), id: e.id })),
    };
  };
  const time = (at: string) => new Date(at).toLocaleTimeString();
  const charts = [
    { kind: 'duration', title: `Task durations, last ${data.executions.length} executions`, format: formatDuration },
    { kind: 'counter', title: 'Counters (Script, Request…)', format: (v: number) => String(Math.round(v * 100) / 100) },
    { kind: 'timer', title: 'Timers', format: formatDuration },
  ].filter((c) => data.series.some((s) => s.kind === c.kind));
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="flow-metrics">
      {charts.map((c) => (
        <Paper withBorder p="sm" key={c.kind}>
          <TimeSeriesChart title={c.title} kind="lines" format={c.format} formatTime={time} {...points(c.kind)} />
        </Paper>
      ))}
      <Text size="xs" c="dimmed">Executions, oldest first: {data.executions.map((e) => shortId(e.id)).join(', ')}</Text>
    </SimpleGrid>
  );
}
