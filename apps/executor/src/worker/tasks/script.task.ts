import type { JsonObject, TaskJob } from '@chronicle/domain';
import { TaskFailure, type RunnableTask } from '../runnable-task.js';
import { durationMs } from './duration.js';
import { runSandboxedScript } from './script-sandbox.js';

export const SCRIPT_DEFAULT_TIME_LIMIT_MS = 10_000;
export const SCRIPT_MAX_TIME_LIMIT_MS = 15 * 60_000;
export const SCRIPT_DEFAULT_MEMORY_LIMIT_MB = 64;
export const SCRIPT_MAX_MEMORY_LIMIT_MB = 512;
const MAX_OUTPUT_BYTES = 1024 * 1024;

/**
 * `Script`: JavaScript run in a QuickJS sandbox (see script-sandbox.ts). Properties: `script`
 * (the code), `timeout` (ISO-8601 or ms, default 10 s) and `memoryLimitMb` (default 64).
 * The script reads `inputs` and `outputs` (earlier task runs' outputs, by task id) and
 * returns its outputs: the value of its last expression, or what a top-level `return`
 * gives. An object becomes the outputs; any other value is put under `value`.
 */
export const scriptTask: RunnableTask = async ({ job, log, metric, signal }) => {
  const { script, timeout, memoryLimitMb } = job.properties as { script?: unknown; timeout?: unknown; memoryLimitMb?: unknown };
  if (typeof script !== 'string' || script.trim() === '') throw new TaskFailure('script is required (the JavaScript code to run)');
  const timeLimitMs = durationMs(timeout, 'timeout') ?? SCRIPT_DEFAULT_TIME_LIMIT_MS;
  if (timeLimitMs > SCRIPT_MAX_TIME_LIMIT_MS) throw new TaskFailure(`timeout must be at most ${SCRIPT_MAX_TIME_LIMIT_MS} ms`);
  const memoryMb = memoryLimitMb === undefined ? SCRIPT_DEFAULT_MEMORY_LIMIT_MB : Number(memoryLimitMb);
  if (!Number.isFinite(memoryMb) || memoryMb < 1 || memoryMb > SCRIPT_MAX_MEMORY_LIMIT_MB) {
    throw new TaskFailure(`memoryLimitMb must be a number between 1 and ${SCRIPT_MAX_MEMORY_LIMIT_MB}`);
  }
  const context = contextOf(job);
  const value = await runSandboxedScript({
    code: script,
    inputs: context.inputs,
    outputs: context.outputs,
    timeLimitMs,
    memoryLimitBytes: memoryMb * 1024 * 1024,
    maxOutputBytes: MAX_OUTPUT_BYTES,
    signal,
    log,
    metric,
  });
  if (value === null) return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value;
  return { value };
};

/** The rendered context the decider put on the job (inputs and earlier outputs); empty when absent. */
function contextOf(job: TaskJob): { inputs: JsonObject; outputs: JsonObject } {
  const context = (job as TaskJob & { context?: { inputs?: JsonObject; outputs?: JsonObject } }).context;
  return { inputs: context?.inputs ?? {}, outputs: context?.outputs ?? {} };
}
