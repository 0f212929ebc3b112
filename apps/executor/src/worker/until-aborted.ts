/**
 * The task's result, or its kill: once the signal is aborted the task gets `graceMs` to
 * stop by itself, then the worker stops waiting (a task that ignores the signal cannot hold
 * a kill up; what it still does is discarded).
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal, graceMs: number): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      timer = setTimeout(() => reject(signal.reason as Error), graceMs);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => (signal.aborted ? reject(signal.reason as Error) : resolve(value)),
      (error: unknown) => reject(signal.aborted ? (signal.reason as Error) : error),
    ).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  });
}
