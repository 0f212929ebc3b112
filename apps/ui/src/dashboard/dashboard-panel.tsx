import { Alert, Anchor, Group, Paper, SimpleGrid, Skeleton, Text } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { GettingStarted } from '../onboarding/getting-started.js';
import { DASHBOARD, EXECUTIONS_CHANGED } from '../api/operations.js';
import { STATES, type Dashboard } from '../api/types.js';
import { useSession } from '../auth/session-context.js';
import { BarChart } from '../charts/bar-chart.js';
import { TimeSeriesChart } from '../charts/time-series-chart.js';
import { ErrorPanel } from '../components/error-panel.js';
import { formatDuration } from '../components/format.js';
import { stateColor } from '../components/state-colors.js';
import { useApiQuery } from '../hooks/use-api-query.js';
import { useLive } from '../hooks/use-live.js';
import { bucketLabel, resolveRange, type RangeChoice } from './dashboard-range.js';
import { HealthStats } from './health-stats.js';

interface Props {
  choice: RangeChoice;
  custom?: { from?: string | null; to?: string | null };
  namespace?: string;
  flowId?: string;
  /** The whole system's health (projection lag, dead letters): on the main dashboard only. */
  withHealth?: boolean;
}

const percent = (v: number) => `${Math.round(v * 100)}%`;

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Paper withBorder p="sm" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{label}</Text>
      <Text size="xl" fw={700}>{value}</Text>
    </Paper>
  );
}

/** Executions over time for a range and filters; moves as executions change (executionsChanged). */
export function DashboardPanel({ choice, custom, namespace, flowId, withHealth = false }: Props) {
  const { surface } = useSession();
  const available = surface.hasQuery('dashboard');
  const [now, setNow] = useState(() => Date.now());
  const range = useMemo(() => resolveRange(choice, now, custom), [choice, now, custom]);
  const query = useApiQuery<{ dashboard: Dashboard }>(DASHBOARD, { ...range, namespace: namespace || undefined, flowId: flowId || undefined }, !range || !available);
  const reload = useRef(query.reload);
  reload.current = query.reload;
  // Live: an execution changed, so the numbers did. Coalesced to one read a second at most.
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(pending.current), []);
  const liveError = useLive(EXECUTIONS_CHANGED, available ? { namespace: namespace || undefined, flowId: flowId || undefined } : null, () => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = undefined;
      // A relative range may end later now; the same range is read again either way.
      if (choice !== 'custom') setNow(Date.now());
      reload.current();
    }, 1000);
  }, () => reload.current());

  const d = query.data?.dashboard;
  const states = useMemo(() => STATES.filter((s) => d?.buckets.some((b) => b.states[s])).map((s) => ({ key: s, label: s, color: stateColor(s) })), [d]);
  const label = bucketLabel(choice);

  if (!available) return <Alert color="gray" title="Not available">This server has no dashboard query yet.</Alert>;
  if (!range) return <Alert color="yellow">Choose a start before the end.</Alert>;
  if (query.error) return <ErrorPanel title="The dashboard could not be loaded" message={query.error} />;
  if (!d) return <Skeleton h={300} aria-label="Loading the dashboard" />;

  const empty = d.total === 0 && d.running === 0 && d.queued === 0;
  return (
    <div data-testid="dashboard" data-total={d.total}>
      {liveError && <Text size="xs" c="red" mb="xs">Live updates lost: {liveError}</Text>}
      <SimpleGrid cols={{ base: 2, sm: 3, lg: withHealth ? 7 : 5 }} mb="md">
        <Stat label="Executions" value={String(d.total)} testId="stat-total" />
        <Stat label="Success" value={d.successRatio === null || d.successRatio === undefined ? '—' : percent(d.successRatio)} testId="stat-success" />
        <Stat label="Running" value={String(d.running)} testId="stat-running" />
        <Stat label="Queued" value={String(d.queued)} testId="stat-queued" />
        <Stat label="p95 duration" value={d.p95Ms ? formatDuration(d.p95Ms) : '—'} />
        {withHealth && <HealthStats Stat={Stat} />}
      </SimpleGrid>
      {empty ? (
        <>
          <Alert color="blue" title="No execution in this range" data-testid="dashboard-empty" mb="sm">
            {flowId ? (
              <Text size="sm">Run this flow (the Run button above) and its executions show up here as they happen.</Text>
            ) : (
              <Text size="sm">
                <Anchor component={Link} to="/flows/new">Deploy a flow</Anchor>, then run it from its page: executions appear here as they start and end, without reloading. Widen the range to see older ones.
              </Text>
            )}
          </Alert>
          {/* The landing page of a first run: the example flows, one button away. */}
          {!flowId && <GettingStarted onlyWithoutFlows />}
        </>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Paper withBorder p="sm">
            <TimeSeriesChart title="Executions over time, by state" kind="stacked" series={states} formatTime={label} format={(v) => String(Math.round(v))}
              points={d.buckets.map((b) => ({ at: b.start, values: b.states }))} />
          </Paper>
          <Paper withBorder p="sm">
            <TimeSeriesChart title="Duration percentiles" kind="lines" formatTime={label} format={formatDuration}
              series={[{ key: 'p50', label: 'p50', color: 'teal' }, { key: 'p95', label: 'p95', color: 'orange' }, { key: 'p99', label: 'p99', color: 'red' }]}
              points={d.buckets.map((b) => ({ at: b.start, values: { p50: b.p50Ms ?? null, p95: b.p95Ms ?? null, p99: b.p99Ms ?? null } }))} />
          </Paper>
          <Paper withBorder p="sm">
            <TimeSeriesChart title="Success ratio" kind="lines" formatTime={label} format={percent}
              series={[{ key: 'ratio', label: 'SUCCESS / finished', color: 'green' }]}
              points={d.buckets.map((b) => ({ at: b.start, values: { ratio: b.successRatio ?? null } }))} />
          </Paper>
          {!flowId && (
            <Paper withBorder p="sm">
              <BarChart title="Busiest flows" unit="executions" bars={d.busiestFlows.map((f) => ({ label: `${f.namespace}.${f.flowId}`, value: f.executions }))} />
              {d.failingFlows.length > 0 ? (
                <BarChart title="Most failing flows" unit="failed executions" bars={d.failingFlows.map((f) => ({ label: `${f.namespace}.${f.flowId}`, value: f.failed, color: 'red' }))} />
              ) : (
                <Text size="sm" c="dimmed">No failed execution in this range.</Text>
              )}
              <Group gap="xs" mt="xs">
                {d.busiestFlows.slice(0, 5).map((f) => (
                  <Anchor key={`${f.namespace}.${f.flowId}`} size="xs" component={Link} to={`/flows/${encodeURIComponent(f.namespace)}/${encodeURIComponent(f.flowId)}`}>
                    {f.namespace}.{f.flowId}
                  </Anchor>
                ))}
              </Group>
            </Paper>
          )}
        </SimpleGrid>
      )}
    </div>
  );
}
