import { Anchor, Badge, Group, Loader, Paper, SimpleGrid, Skeleton, Stack, Tabs, Text, Title } from '@mantine/core';
import { lazy, Suspense, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { FLOW } from '../api/operations.js';
import type { Flow, InputDefinition } from '../api/types.js';
import { ErrorPanel } from '../components/error-panel.js';
import { durationBetween, formatDate, shortId } from '../components/format.js';
import { JsonView } from '../components/json-view.js';
import { StateBadge } from '../components/state-badge.js';
import { ExecutionActions } from '../execution/execution-actions.js';
import { BreakpointPanel } from '../execution/breakpoint-panel.js';
import { LockWaitPanel } from '../execution/lock-wait-panel.js';
import { ExecutionWaitPanel } from '../execution/execution-wait-panel.js';
import { GanttChart } from '../execution/gantt-chart.js';
import { HistoryTimeline } from '../execution/history-timeline.js';
import { LogTail } from '../execution/log-tail.js';
import { childExecutions, flowTaskIds } from '../execution/task-run-tree.js';
import { MetricsPanel } from '../execution/metrics-panel.js';
import { TaskDrawer } from '../execution/task-drawer.js';
import { TaskTree } from '../execution/task-tree.js';
import { useExecutionHistory, useLiveExecution } from '../execution/use-live-execution.js';
import { useApiQuery } from '../hooks/use-api-query.js';
import { useSession } from '../auth/session-context.js';
import { EXECUTION_MODEL, type ExecutionModel } from '../api/execution-model.operations.js';
import { WrapperNesting } from '../execution/wrapper-nesting.js';
import { RunDetails } from '../execution/run-details.js';
import { ExecutionTree } from '../execution/execution-tree.js';
import { flowPath } from './flows.page.js';

// dagre and the YAML parser come with the graph, loaded when it is shown.
const FlowGraphPanel = lazy(() => import('../graph/flow-graph-panel.js'));

export function ExecutionPage() {
  const { id = '' } = useParams();
  const { execution, error, liveError } = useLiveExecution(id);
  const history = useExecutionHistory(id);
  const [tab, setTab] = useState<string | null>('graph');
  const [openTask, setOpenTask] = useState<string | null>(null);
  const [selectedRun, setSelectedRun] = useState<string | null>(null);
  const flowQuery = useApiQuery<{ flow: Flow | null }>(
    FLOW,
    { namespace: execution?.namespace, id: execution?.flowId, revision: execution?.flowRevision },
    !execution,
  );
  const { surface, access } = useSession();
  const hasModel = surface.hasMutation('rewindExecution');
  // Savepoints change as the execution runs: read again at each new revision.
  const model = useApiQuery<{ execution: ExecutionModel | null }>(EXECUTION_MODEL, { id, at: execution?.revision }, !execution || !hasModel);
  const tasks = flowQuery.data?.flow?.tasks;
  const source = flowQuery.data?.flow?.source;
  const children = useMemo(() => childExecutions(execution?.taskRuns ?? [], history.events), [execution?.taskRuns, history.events]);
  const taskIds = useMemo(() => [...new Set([...flowTaskIds(tasks), ...(execution?.taskRuns ?? []).map((r) => r.taskId)])], [tasks, execution?.taskRuns]);
  const resumeInputs = useMemo(() => {
    const paused = execution?.taskRuns.find((r) => r.state === 'PAUSED');
    const task = Array.isArray(tasks) ? (tasks as Array<{ id: string; onResume?: InputDefinition[] }>).find((t) => t.id === paused?.taskId) : undefined;
    return Array.isArray(task?.onResume) ? task.onResume : undefined;
  }, [execution?.taskRuns, tasks]);

  if (error) return <ErrorPanel title="The execution could not be loaded" message={error} />;
  if (execution === null) return <ErrorPanel title="Not found" message={`There is no execution ${id}.`} />;
  if (!execution) return <Skeleton h={240} aria-label="Loading the execution" />;

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap" align="flex-start">
        <Stack gap={4}>
          <Group gap="xs">
            <Title order={2} ff="monospace" size="h3" title={execution.id}>
              Execution {shortId(execution.id)}
            </Title>
            <div aria-live="polite" data-testid="execution-state">
              <StateBadge state={execution.state} size="lg" />
            </div>
            {liveError && <Badge color="red" variant="dot" title={liveError}>live updates lost</Badge>}
          </Group>
          <Text size="sm">
            <Anchor component={Link} to={flowPath({ namespace: execution.namespace, id: execution.flowId })}>
              {execution.namespace}.{execution.flowId}
            </Anchor>{' '}
            revision {execution.flowRevision} · started {formatDate(execution.startDate)} · {durationBetween(execution.startDate, execution.endDate)}
          </Text>
          {execution.parentId && (
            <Text size="sm">
              Parent: <Anchor component={Link} to={`/executions/${execution.parentId}`} ff="monospace">{shortId(execution.parentId)}</Anchor>
            </Text>
          )}
          {execution.originalId !== execution.id && (
            <Text size="sm">
              Replay of <Anchor component={Link} to={`/executions/${execution.originalId}`} ff="monospace">{shortId(execution.originalId)}</Anchor>
            </Text>
          )}
          <RunDetails execution={execution} />
          <WrapperNesting execution={execution} wraps={model.data?.execution?.wraps} />
          {execution.error && <Text size="sm" c="red">{execution.error}</Text>}
        </Stack>
        <ExecutionActions execution={execution} taskIds={taskIds} resumeInputs={resumeInputs} />
      </Group>
      <BreakpointPanel execution={execution} />
      <LockWaitPanel execution={execution} />
      <ExecutionWaitPanel execution={execution} tasks={tasks} />
      <Tabs value={tab} onChange={setTab}>
        <Tabs.List>
          <Tabs.Tab value="graph">Graph</Tabs.Tab>
          <Tabs.Tab value="gantt">Gantt</Tabs.Tab>
          <Tabs.Tab value="tasks">Tasks</Tabs.Tab>
          <Tabs.Tab value="logs">Logs</Tabs.Tab>
          <Tabs.Tab value="history">History</Tabs.Tab>
          <Tabs.Tab value="tree">Tree</Tabs.Tab>
          <Tabs.Tab value="metrics">Metrics</Tabs.Tab>
          <Tabs.Tab value="data">Inputs &amp; outputs</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="graph" pt="md">
          <Paper withBorder p="md">
            <Suspense fallback={<Loader size="sm" aria-label="Loading the graph" />}>
              {tab === 'graph' && source !== undefined && <FlowGraphPanel source={source} taskRuns={execution.taskRuns} selected={openTask} onSelect={setOpenTask} />}
            </Suspense>
          </Paper>
          <TaskDrawer execution={execution} taskId={openTask} childExecutions={children} onClose={() => setOpenTask(null)} />
        </Tabs.Panel>
        <Tabs.Panel value="gantt" pt="md">
          <Paper withBorder p="md">
            <GanttChart execution={execution} onSelect={(run) => (setSelectedRun(run.id), setTab('tasks'))} />
          </Paper>
        </Tabs.Panel>
        <Tabs.Panel value="tasks" pt="md">
          <TaskTree runs={execution.taskRuns} childExecutions={children} selected={selectedRun} onSelect={setSelectedRun} />
        </Tabs.Panel>
        <Tabs.Panel value="logs" pt="md">
          <LogTail executionId={execution.id} />
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="md">
          <ErrorPanel title="History" message={history.error} />
          {tab === 'history' && (
            <HistoryTimeline
              executionId={execution.id}
              events={history.events}
              source={source}
              {...(hasModel && model.data?.execution ? { rewind: { savepoints: model.data.execution.savepoints, allowed: access.canDeploy && execution.availableActions.includes('REWIND'), onRewound: model.reload } } : {})}
            />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="tree" pt="md">
          {tab === 'tree' && <ExecutionTree executionId={execution.id} revision={execution.revision} />}
        </Tabs.Panel>
        <Tabs.Panel value="metrics" pt="md">
          {tab === 'metrics' && <MetricsPanel runs={execution.taskRuns} />}
        </Tabs.Panel>
        <Tabs.Panel value="data" pt="md">
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Paper withBorder p="md">
              <Title order={4} mb="xs">Inputs</Title>
              <JsonView label="Inputs" value={execution.inputs} expanded />
            </Paper>
            <Paper withBorder p="md">
              <Title order={4} mb="xs">Outputs</Title>
              <JsonView label="Outputs" value={execution.outputs} expanded />
            </Paper>
            <Paper withBorder p="md">
              <Title order={4} mb="xs">Labels and trigger</Title>
              <JsonView label="Labels" value={execution.labels} expanded />
              <JsonView label="Trigger" value={execution.trigger} />
            </Paper>
            <Paper withBorder p="md">
              <Title order={4} mb="xs">State history</Title>
              {execution.stateHistory.map((s, i) => (
                <Group key={i} gap="xs" mb={4}>
                  <StateBadge state={s.state} size="xs" />
                  <Text size="xs">{formatDate(s.date)}</Text>
                </Group>
              ))}
            </Paper>
          </SimpleGrid>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
