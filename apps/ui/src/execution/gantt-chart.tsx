import { Box, Group, ScrollArea, Text, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { Attempt, Execution, TaskRun } from '../api/types.js';
import { TERMINAL_STATES } from '../api/types.js';
import { formatDuration } from '../components/format.js';
import { stateCssColor } from '../components/state-colors.js';
import { taskRunRows } from './task-run-tree.js';

/** Narrower labels on a phone, so the bars keep most of the width. */
const LABEL_WIDTH = { base: 110, sm: 200 };
const time = (iso: string | null | undefined, fallback: number) => (iso ? Date.parse(iso) : fallback);

/** Bars of one row: every attempt, or the task run itself when it has no attempts (flowable tasks). */
function segments(run: TaskRun): Array<Pick<Attempt, 'state' | 'startDate' | 'endDate'> & { label: string }> {
  if (run.attempts.length === 0) return [{ state: run.state, startDate: run.startDate, endDate: run.endDate, label: run.state }];
  return run.attempts.map((a) => ({ ...a, label: `attempt ${a.number} ${a.state}${a.error ? `: ${a.error}` : ''}` }));
}

/**
 * A timeline of task runs: one row per task run (tree order), one bar per attempt, coloured by
 * state. Bars are buttons (keyboard, screen readers); a running execution's bars grow live.
 */
export function GanttChart({ execution, onSelect, asOf }: { execution: Execution; onSelect?(run: TaskRun): void; /** Time travel: the moment shown (no live clock). */ asOf?: string }) {
  const running = !TERMINAL_STATES.has(execution.state) && !asOf;
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);

  const rows = taskRunRows(execution.taskRuns);
  const end = asOf ? time(execution.endDate, Date.parse(asOf)) : running ? now : time(execution.endDate, now);
  const starts = execution.taskRuns.map((r) => time(r.startDate, end));
  const start = Math.min(time(execution.startDate, end), ...starts);
  const span = Math.max(end - start, 1);
  const pct = (t: number) => `${((Math.min(Math.max(t, start), end) - start) / span) * 100}%`;

  if (rows.length === 0) return <Text c="dimmed">No task has started yet.</Text>;
  return (
    <ScrollArea type="auto" offsetScrollbars>
      <Box miw={300} role="figure" aria-label={`Timeline of ${rows.length} task runs over ${formatDuration(span)}`} data-testid="gantt">
        <Group gap={0} wrap="nowrap" mb={4}>
          <Text size="xs" c="dimmed" w={LABEL_WIDTH}>
            Task
          </Text>
          <Group justify="space-between" style={{ flex: 1 }}>
            <Text size="xs" c="dimmed">0</Text>
            <Text size="xs" c="dimmed">{formatDuration(span)}</Text>
          </Group>
        </Group>
        {rows.map(({ run, depth }) => (
          <Group key={run.id} gap={0} wrap="nowrap" data-task-run={run.taskId}>
            <Text size="xs" w={LABEL_WIDTH} pl={depth * 12} truncate title={run.value ? `${run.taskId} [${run.value}]` : run.taskId}>
              {run.taskId}
              {run.value ? ` [${run.value}]` : ''}
            </Text>
            <div className="gantt-row" style={{ flex: 1 }}>
              {segments(run).map((s, i) => {
                const from = time(s.startDate, end);
                const to = time(s.endDate, end);
                const label = `${run.taskId}${run.value ? ` [${run.value}]` : ''}: ${s.label}, ${formatDuration(to - from)}`;
                return (
                  <Tooltip key={i} label={label} withinPortal>
                    <button
                      type="button"
                      className="gantt-bar"
                      aria-label={label}
                      data-state={s.state}
                      onClick={() => onSelect?.(run)}
                      style={{ left: pct(from), width: `calc(${pct(to)} - ${pct(from)})`, background: stateCssColor(s.state) }}
                    />
                  </Tooltip>
                );
              })}
            </div>
          </Group>
        ))}
      </Box>
    </ScrollArea>
  );
}
