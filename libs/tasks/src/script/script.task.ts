import type { JsonObject, TaskJob } from '@chronicle/domain';
import { defaultScriptSettings, type ScriptSettings } from '@chronicle/runtime';
import { TaskFailure, type RunnableTask } from '../runnable-task.js';
import { durationMs } from '../duration.js';
import { runSandboxedScript } from './script-sandbox.js';
import { propertyChecks } from '@chronicle/domain';
import type { TaskModule } from '../task-module.js';
import { between, durationOrMs } from '../runnable-property-checks.js';

let defaults: ScriptSettings | undefined;

/**
 * `Script`: JavaScript run in a QuickJS sandbox (see script-sandbox.ts). Properties: `script`
 * (the code), `timeout` (ISO-8601 or ms) and `memoryLimitMb`; their defaults and maxima, and
 * the bounds on logs, metrics and outputs, are configuration (CHRONICLE_SCRIPT_*).
 * The script reads `inputs` and `outputs` (earlier task runs' outputs, by task id) and
 * returns its outputs: the value of its last expression, or what a top-level `return`
 * gives. An object becomes the outputs; any other value is put under `value`.
 */
export const scriptTask: RunnableTask = async ({ job, log, metric, signal, scriptSettings }) => {
  const limits = scriptSettings ?? (defaults ??= defaultScriptSettings());
  const { script, timeout, memoryLimitMb } = job.properties as { script?: unknown; timeout?: unknown; memoryLimitMb?: unknown };
  if (typeof script !== 'string' || script.trim() === '') throw new TaskFailure('script is required (the JavaScript code to run)');
  const timeLimitMs = durationMs(timeout, 'timeout') ?? limits.defaultTimeoutMs;
  if (timeLimitMs > limits.maxTimeoutMs) throw new TaskFailure(`timeout must be at most ${limits.maxTimeoutMs} ms (CHRONICLE_SCRIPT_MAX_TIMEOUT_MS)`);
  const memoryMb = memoryLimitMb === undefined ? limits.defaultMemoryMb : Number(memoryLimitMb);
  if (!Number.isFinite(memoryMb) || memoryMb < 1 || memoryMb > limits.maxMemoryMb) {
    throw new TaskFailure(`memoryLimitMb must be a number between 1 and ${limits.maxMemoryMb} (CHRONICLE_SCRIPT_MAX_MEMORY_MB)`);
  }
  const context = contextOf(job);
  const value = await runSandboxedScript({
    code: script,
    inputs: context.inputs,
    outputs: context.outputs,
    timeLimitMs,
    memoryLimitBytes: Math.round(memoryMb * 1024 * 1024),
    maxOutputBytes: limits.maxOutputBytes,
    maxLogLines: limits.maxLogLines,
    maxLogBytes: limits.maxLogBytes,
    maxMetrics: limits.maxMetrics,
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

const { optional, propertyValidator, required, string } = propertyChecks;

export const SCRIPT: TaskModule = {
  definition: {
    name: 'Script',
    properties: ['script', 'memoryLimitMb'],
    fullName: 'io.chronicle.plugin.core.script.Script',
    kind: 'runnable',
    // The job carries the inputs and earlier outputs as data, and the task's timeout (the sandbox's own limit).
    job: { dataContext: true, timeout: true },
    validate: propertyValidator({ script: required('script', string), timeout: optional(durationOrMs), memoryLimitMb: optional(between(1, 512)) }),
  },
  run: scriptTask,
};
