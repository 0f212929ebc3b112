import { Drawer, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import type { Execution } from '../api/types.js';
import { LogTail } from './log-tail.js';
import { MetricsTable } from './metrics-panel.js';
import { TaskTree } from './task-tree.js';

/** A graph node opened: the task's runs (attempts, outputs), its metrics and its log lines. */
export function TaskDrawer({ execution, taskId, childExecutions, onClose }: { execution: Execution; taskId: string | null; childExecutions: ReadonlyMap<string, string>; onClose(): void }) {
  const runs = useMemo(() => execution.taskRuns.filter((r) => r.taskId === taskId), [execution.taskRuns, taskId]);
  return (
    <Drawer opened={!!taskId} onClose={onClose} position="right" size="lg" title={<Title order={3}>Task {taskId}</Title>} data-testid="task-drawer">
      {taskId && (
        <Stack>
          {runs.length === 0 ? <Text c="dimmed">This task has not run in this execution.</Text> : <TaskTree runs={runs} childExecutions={childExecutions} />}
          <Title order={4}>Metrics</Title>
          <MetricsTable runs={runs} />
          <Title order={4}>Logs</Title>
          <LogTail executionId={execution.id} taskId={taskId} />
        </Stack>
      )}
    </Drawer>
  );
}
