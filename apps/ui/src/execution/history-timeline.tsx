import { Button, Group, Loader, Paper, ScrollArea, Slider, Stack, Text, Timeline, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { lazy, Suspense, useEffect, useState } from 'react';
import { errorMessage } from '../api/graphql-client.js';
import { EXECUTION_AT } from '../api/operations.js';
import type { Execution, ExecutionEvent } from '../api/types.js';
import { useSession } from '../auth/session-context.js';
import { ErrorPanel } from '../components/error-panel.js';
import { JsonView } from '../components/json-view.js';
import { StateBadge } from '../components/state-badge.js';
import { GanttChart } from './gantt-chart.js';
import { RewindControl } from './rewind-control.js';
import type { Savepoint } from '../api/execution-model.operations.js';

/**
 * The event history (from the event store) as a timeline, and a slider over it: the execution
 * is shown as it was right after the chosen event (`executionAt`, time travel).
 */
const FlowGraphPanel = lazy(() => import('../graph/flow-graph-panel.js'));

/** Savepoints of the execution and whether a rewind is offered (absent: the server has no rewind). */
export interface RewindOffer {
  readonly savepoints: readonly Savepoint[];
  readonly allowed: boolean;
  readonly onRewound: () => void;
}

export function HistoryTimeline({ executionId, events, source, rewind }: { executionId: string; events: readonly ExecutionEvent[]; source?: string; rewind?: RewindOffer }) {
  const { client } = useSession();
  const first = events[0]?.revision ?? 0;
  const last = events[events.length - 1]?.revision ?? 0;
  const [revision, setRevision] = useState<number | null>(null);
  const chosen = revision ?? last;
  const [debounced] = useDebouncedValue(chosen, 200);
  const [snapshot, setSnapshot] = useState<Execution | null>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (events.length === 0) return;
    let current = true;
    client
      .request<{ executionAt: Execution | null }>(EXECUTION_AT, { id: executionId, revision: debounced })
      .then(({ executionAt }) => current && (setSnapshot(executionAt), setError(undefined)))
      .catch((e: unknown) => current && setError(errorMessage(e)));
    return () => {
      current = false;
    };
  }, [client, executionId, debounced, events.length]);

  if (events.length === 0) return <Text c="dimmed">No event yet.</Text>;
  const event = events.find((e) => e.revision === chosen);
  const active = events.findIndex((e) => e.revision === chosen);

  return (
    <Stack>
      <Paper withBorder p="md">
        <Stack gap="xs">
          <Group justify="space-between" wrap="wrap">
            <Text size="sm" id="time-travel-label">
              Event {chosen} of {last}: <strong>{event?.type}</strong> at {event ? new Date(event.occurredAt).toLocaleString() : ''}
            </Text>
            <Button size="compact-xs" variant="default" onClick={() => setRevision(null)} disabled={revision === null}>
              Back to now
            </Button>
          </Group>
          <Slider
            min={first}
            max={Math.max(last, first + 1)}
            step={1}
            value={chosen}
            onChange={setRevision}
            label={(v) => `event ${v}`}
            aria-labelledby="time-travel-label"
            thumbLabel="Time travel: choose an event"
            data-testid="time-travel-slider"
          />
          {rewind && (
            <RewindControl executionId={executionId} revision={chosen} savepoints={rewind.savepoints} allowed={rewind.allowed} onRewound={() => (setRevision(null), rewind.onRewound())} />
          )}
        </Stack>
      </Paper>
      <ErrorPanel title="The execution at this event could not be read" message={error} />
      {snapshot && (
        <Paper withBorder p="md" data-testid="time-travel-snapshot" data-revision={snapshot.revision}>
          <Group mb="sm">
            <Title order={4}>As it was</Title>
            <StateBadge state={snapshot.state} />
            <Text size="sm" c="dimmed">
              {snapshot.taskRuns.length} task run{snapshot.taskRuns.length === 1 ? '' : 's'}
            </Text>
          </Group>
          {source !== undefined && (
            <div data-testid="time-travel-graph">
              <Suspense fallback={<Loader size="sm" aria-label="Loading the graph" />}>
                <FlowGraphPanel source={source} taskRuns={snapshot.taskRuns} />
              </Suspense>
            </div>
          )}
          <GanttChart execution={snapshot} asOf={events.find((e) => e.revision === snapshot.revision)?.occurredAt} />
        </Paper>
      )}
      <Paper withBorder p="md">
        <ScrollArea.Autosize mah={420}>
          <Timeline active={active} bulletSize={14} lineWidth={2} aria-label="Event history">
            {events.map((e) => (
              <Timeline.Item
                key={e.revision}
                title={
                  <Button variant="subtle" size="compact-sm" onClick={() => setRevision(e.revision)} aria-current={e.revision === chosen ? 'step' : undefined}>
                    {e.revision}. {e.type}
                  </Button>
                }
              >
                <Text size="xs" c="dimmed">
                  {new Date(e.occurredAt).toLocaleString()} · position {e.position}
                </Text>
                {rewind?.savepoints.some((s) => s.revision === e.revision) && (
                  <Text size="xs" c="orange">savepoint: before {rewind.savepoints.find((s) => s.revision === e.revision)?.taskId}</Text>
                )}
                {e.revision === chosen && <JsonView label="Event data" value={e.data} />}
              </Timeline.Item>
            ))}
          </Timeline>
        </ScrollArea.Autosize>
      </Paper>
    </Stack>
  );
}
