import { Group, SegmentedControl, Select, Stack, Title } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { FLOWS } from '../api/operations.js';
import type { Flow } from '../api/types.js';
import { DashboardPanel } from '../dashboard/dashboard-panel.js';
import { RANGE_LABELS, type RangeChoice } from '../dashboard/dashboard-range.js';
import { useApiQuery } from '../hooks/use-api-query.js';

/** The landing page: executions over time for a range, a namespace and a flow (kept in the URL). */
export function DashboardPage() {
  const [params, setParams] = useSearchParams();
  const choice = (params.get('range') as RangeChoice | null) ?? 'day';
  const namespace = params.get('namespace') ?? '';
  const flowId = params.get('flowId') ?? '';
  const [custom, setCustom] = useState<{ from: string | null; to: string | null }>({ from: null, to: null });
  const flows = useApiQuery<{ flows: Flow[] }>(FLOWS);
  const namespaces = useMemo(() => [...new Set((flows.data?.flows ?? []).map((f) => f.namespace))].sort(), [flows.data]);
  const flowIds = useMemo(() => (flows.data?.flows ?? []).filter((f) => !namespace || f.namespace === namespace).map((f) => f.id).sort(), [flows.data, namespace]);
  const set = (key: string, value: string | null) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value) next.set(key, value);
      else next.delete(key);
      if (key === 'namespace') next.delete('flowId');
      return next;
    }, { replace: true });
  const customRange = useMemo(() => custom, [custom]);

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap" align="flex-end">
        <Title order={2}>Dashboard</Title>
        <Group gap="xs" wrap="wrap" align="flex-end">
          <SegmentedControl aria-label="Time range" value={choice} onChange={(v) => set('range', v)} data={Object.entries(RANGE_LABELS).map(([value, label]) => ({ value, label }))} />
          <Select label="Namespace" placeholder="All" data={namespaces} value={namespace || null} onChange={(v) => set('namespace', v)} clearable searchable w={170} />
          <Select label="Flow" placeholder="All" data={[...new Set(flowIds)]} value={flowId || null} onChange={(v) => set('flowId', v)} clearable searchable w={170} />
        </Group>
      </Group>
      {choice === 'custom' && (
        <Group gap="xs">
          <DateTimePicker label="From" value={custom.from} onChange={(v) => setCustom((c) => ({ ...c, from: v }))} clearable w={200} />
          <DateTimePicker label="To (empty: now)" value={custom.to} onChange={(v) => setCustom((c) => ({ ...c, to: v }))} clearable w={200} />
        </Group>
      )}
      <DashboardPanel choice={choice} custom={customRange} namespace={namespace} flowId={flowId} withHealth />
    </Stack>
  );
}
