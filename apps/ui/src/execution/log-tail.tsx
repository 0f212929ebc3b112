import { Badge, Group, Paper, ScrollArea, SegmentedControl, Switch, Text } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { EXECUTION_LOGS } from '../api/operations.js';
import type { LogEntry } from '../api/types.js';
import { ErrorPanel } from '../components/error-panel.js';
import { useLive } from '../hooks/use-live.js';

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
const LEVEL_COLORS: Record<string, string> = { TRACE: 'gray', DEBUG: 'gray', INFO: 'blue', WARN: 'orange', ERROR: 'red' };

/** The execution's log lines, tailing live (`executionLogs`), filtered by lowest level. */
export function LogTail({ executionId, taskId }: { executionId: string; taskId?: string }) {
  const [lines, setLines] = useState<LogEntry[]>([]);
  const [level, setLevel] = useState('INFO');
  const [follow, setFollow] = useState(true);
  const viewport = useRef<HTMLDivElement>(null);
  useEffect(() => setLines([]), [executionId]);
  const error = useLive<{ executionLogs: LogEntry }>(EXECUTION_LOGS, { id: executionId }, ({ executionLogs: line }) =>
    setLines((current) => (line.id && current.some((l) => l.id === line.id) ? current : [...current, line])),
  );
  const shown = useMemo(() => lines.filter((l) => LEVELS.indexOf(l.level) >= LEVELS.indexOf(level) && (!taskId || l.taskId === taskId)), [lines, level, taskId]);
  useEffect(() => {
    if (follow) viewport.current?.scrollTo({ top: viewport.current.scrollHeight });
  }, [shown.length, follow]);

  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <SegmentedControl size="xs" data={LEVELS} value={level} onChange={setLevel} aria-label="Lowest log level shown" />
        <Switch size="xs" label="Follow" checked={follow} onChange={(e) => setFollow(e.currentTarget.checked)} />
      </Group>
      <ErrorPanel title="Live logs" message={error} />
      <ScrollArea h={360} viewportRef={viewport}>
        <div role="log" aria-live="polite" aria-label="Execution logs" data-testid="logs">
          {shown.length === 0 && <Text c="dimmed" size="sm">No log line at {level} or above yet.</Text>}
          {shown.map((l, i) => (
            <div key={l.id ?? i} className="log-line" data-level={l.level}>
              <Text span size="xs" c="dimmed">
                {new Date(l.timestamp).toLocaleTimeString()}{' '}
              </Text>
              <Badge size="xs" variant="light" color={LEVEL_COLORS[l.level] ?? 'gray'} w={52}>
                {l.level}
              </Badge>{' '}
              {l.taskId && <Text span size="xs" fw={500}>{l.taskId} </Text>}
              {l.message}
            </div>
          ))}
        </div>
      </ScrollArea>
    </Paper>
  );
}
