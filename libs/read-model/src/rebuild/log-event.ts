import { parseRawEvent, type RawRecordedEvent, type RecordedEvent } from '@chronicle/event-store';

/** An event of the log as a rebuild reads it: parsed, or raw (its JSON parsed by a fold worker). */
export type LogEvent = RecordedEvent | RawRecordedEvent;

export const parsedEvent = (event: LogEvent): RecordedEvent => ('dataJson' in event ? parseRawEvent(event) : event);
