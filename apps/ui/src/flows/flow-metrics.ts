import type { TaskRun } from '../api/types.js';

export interface ExecutionRuns { id: string; startDate?: string | null; taskRuns: TaskRun[] }
export interface MetricSeries { key: string; label: string; kind: 'duration' | 'counter' | 'timer'; values: Array<number | null> }

/**
 * Per task, per execution (oldest first): its duration (summed over its runs, loops included),
 * and every counter and timer it reported (summed over runs and attempts).
 */
export function metricsOverExecutions(executions: readonly ExecutionRuns[]): { executions: ExecutionRuns[]; series: MetricSeries[] } {
  const ordered = [...executions].sort((a, b) => Date.parse(a.startDate ?? '') - Date.parse(b.startDate ?? ''));
  const series = new Map<string, MetricSeries>();
  const at = (key: string, label: string, kind: MetricSeries['kind']) => {
    let s = series.get(key);
    if (!s) series.set(key, (s = { key, label, kind, values: ordered.map(() => null) }));
    return s;
  };
  ordered.forEach((execution, i) => {
    for (const run of execution.taskRuns) {
      if (run.startDate && run.endDate) {
        const s = at(`duration:${run.taskId}`, run.taskId, 'duration');
        s.values[i] = (s.values[i] ?? 0) + (Date.parse(run.endDate) - Date.parse(run.startDate));
      }
      for (const m of run.metrics ?? []) {
        const kind = m.type === 'timer' ? 'timer' : 'counter';
        const s = at(`${kind}:${run.taskId}:${m.name}`, `${run.taskId} · ${m.name}`, kind);
        s.values[i] = (s.values[i] ?? 0) + m.value;
      }
    }
  });
  return { executions: ordered, series: [...series.values()] };
}
