/**
 * A task metric (Kestra's counters and timers): a counter adds up, a timer is a duration in ms.
 * Workers report them with the attempt's result; they are stored with that attempt.
 */
export interface TaskMetric {
  readonly name: string;
  readonly type: 'counter' | 'timer';
  readonly value: number;
  readonly tags?: Readonly<Record<string, string>>;
}
