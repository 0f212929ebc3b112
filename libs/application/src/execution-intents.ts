import type { ExecutionCommand, TaskJob } from '@chronicle/domain';
import type { RecordedEvent } from '@chronicle/event-store';
import type { BusMessage, Topics } from '@chronicle/messaging';

/**
 * What must be sent once an event is durably in the log: the stream is the outbox and
 * these are its messages. Pure, so the relay can re-derive them after a crash.
 */
export const INTENT_EVENT_TYPES = ['ExecutionCreated', 'TaskRunCreated'] as const;

export interface Intent {
  readonly topic: string;
  readonly message: BusMessage;
}

export function intentsOf(event: RecordedEvent, topics: Topics): Intent[] {
  switch (event.type) {
    case 'ExecutionCreated': {
      const data = event.data as { executionId: string; at: string };
      const command: ExecutionCommand = { type: 'AdvanceExecution', executionId: data.executionId, now: data.at };
      return [{ topic: topics.commands, message: { key: data.executionId, value: command, headers: causation(event) } }];
    }
    case 'TaskRunCreated': {
      const job = (event.data as { job?: TaskJob }).job;
      return job ? [{ topic: topics.tasks, message: { key: job.executionId, value: job, headers: causation(event) } }] : [];
    }
    default:
      return [];
  }
}

const causation = (event: RecordedEvent) => ({ 'chronicle-causation-id': event.id, 'chronicle-position': event.position.toString() });
