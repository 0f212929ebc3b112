import { randomBytes } from 'node:crypto';
import { taskFileUri, type InternalStorage } from '@chronicle/use-cases';
import type { TaskJob } from '@chronicle/domain';
import type { LogLine as LogMessage } from '@chronicle/contracts';

/**
 * Kestra's `logToFile` (RunContextLogger's FileAppender, DefaultRunContext.logFileURI): the
 * attempt's lines, one per line as `<ISO-8601 time> <LEVEL> <message>`, in a `log-xxxxx.txt` file
 * of the task run's folder of the internal storage; its URI becomes the attempt's `logFile`.
 */
export async function writeAttemptLogFile(storage: InternalStorage, job: TaskJob & { readonly flow: { readonly namespace: string; readonly flowId: string } }, lines: readonly LogMessage[]): Promise<string> {
  const text = lines.map((l) => `${l.timestamp} ${l.level.padEnd(5)} ${l.message}\n`).join('');
  const name = `log-${randomBytes(4).toString('hex').slice(0, 5)}.txt`;
  const uri = taskFileUri({ ...job.flow, executionId: job.executionId, taskId: job.taskId, taskRunId: job.taskRunId }, name);
  return storage.put(uri, Buffer.from(text), 'text/plain');
}
