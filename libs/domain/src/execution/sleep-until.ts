import type { Decision } from './decision.js';

/** A SleepUntil's timer: at `until`, or at once for a date already past (Cloudomation's sleep_until returns then too). */
export const sleepUntil = (d: Decision, taskRunId: string, until: string, timerId: string): void => {
  const fireAt = Date.parse(until) > Date.parse(d.now) ? until : d.now;
  d.emit({ type: 'TimerScheduled', data: { timerId, fireAt, purpose: 'sleep', taskRunId, log: { taskId: d.taskRun(taskRunId).taskId, level: 'INFO', message: `Waiting until ${until}` }, at: d.now } });
};
