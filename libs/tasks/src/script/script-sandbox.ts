import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { JsonObject, JsonValue } from '@chronicle/domain';
import { TaskFailure, TaskKilled, type LogLevel, type TaskFailureCode, type TaskMetric } from '../runnable-task.js';
import { SANDBOX_WORKER_SOURCE } from './script-sandbox.worker-source.js';

export interface SandboxLimits {
  readonly timeLimitMs: number;
  /** Bounds the WebAssembly memory QuickJS runs in (see the worker source for why not QuickJS's own limit). */
  readonly memoryLimitBytes: number;
  /** Largest JSON text of the script's result, in UTF-8 bytes. */
  readonly maxOutputBytes: number;
  /** Log lines and their total UTF-8 bytes a script may write; past either it fails and nothing more is kept. */
  readonly maxLogLines: number;
  readonly maxLogBytes: number;
  /** Counters and timers a script may report. */
  readonly maxMetrics: number;
}

export interface SandboxRun extends SandboxLimits {
  readonly code: string;
  readonly inputs: JsonObject;
  readonly outputs: JsonObject;
  readonly signal: AbortSignal;
  log(level: LogLevel, message: string): void;
  metric(metric: TaskMetric): void;
}

/** Why a script failed, with a stable code per limit. */
export class ScriptFailure extends TaskFailure {
  constructor(code: Extract<TaskFailureCode, `SCRIPT_${string}`>, message: string) {
    super(message, { code });
  }
}

type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'log'; level: string; message: string }
  | { kind: 'metric'; type: string; name: string; value: number }
  | { kind: 'result'; json: string }
  | { kind: 'error'; reason: 'time' | 'memory' | 'stack' | 'outputs' | 'logLines' | 'logBytes' | 'metrics' | 'metricName' | 'script' | 'sandbox'; message: string };

const require = createRequire(import.meta.url);
const CORE_PATH = require.resolve('quickjs-emscripten-core');
const VARIANT_PATH = require.resolve('@jitl/quickjs-wasmfile-release-sync');
const WASM_PATH = require.resolve('@jitl/quickjs-wasmfile-release-sync/wasm');
const LEVELS = new Set(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']);
/** One log line is cut here (64 Ki characters): a line is a Kafka message on the logs topic. */
const MAX_LOG_LINE_CHARS = 64 * 1024;
/** A metric's name is stored with the attempt's result: a name, not data. */
const MAX_METRIC_NAME_CHARS = 256;
/** Thread start-up is not the script's time, but a thread that never answers is stopped after this. */
const HARD_STOP_GRACE_MS = 5_000;

/** The project's `lib` has no WebAssembly types: the little used here, declared. */
type WasmModule = object;
const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> } };

/** QuickJS compiled once per process; every sandbox thread instantiates it (cheap) instead of compiling. */
let compiled: Promise<WasmModule> | undefined;
const wasmModule = () => (compiled ??= readFile(WASM_PATH).then((bytes) => wasm.compile(bytes)));

/**
 * One thread is kept started and loaded (for the memory limit of the last script, usually the
 * default), so a script does not wait for a thread to boot.
 */
let spare: Promise<Worker> | undefined;

async function newSandboxThread(memoryLimitBytes: number): Promise<Worker> {
  const worker = new Worker(SANDBOX_WORKER_SOURCE, {
    eval: true,
    workerData: { corePath: CORE_PATH, variantPath: VARIANT_PATH, wasmModule: await wasmModule(), memoryLimitBytes },
    // Bounds the thread's own JS heap (messages, strings copied out of QuickJS); QuickJS's heap is bounded by its WebAssembly memory.
    resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
    stdout: true,
    stderr: true,
  });
  worker.unref();
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  return worker;
}

async function takeThread(memoryLimitBytes: number): Promise<Worker> {
  const ready = await spare?.catch(() => undefined);
  // A spare that died while idle (threadId -1) is not used.
  const taken = ready && ready.threadId >= 0 ? ready : await newSandboxThread(memoryLimitBytes);
  spare = newSandboxThread(memoryLimitBytes);
  // A spare that failed to start is replaced at the next take.
  spare.catch(() => undefined);
  return taken;
}

/**
 * Runs a script in QuickJS inside its own worker thread: the interrupt handler stops it at
 * the time limit, the WebAssembly memory's maximum at the memory limit, the log and metric
 * counters at theirs, and the host terminates the
 * thread if it does not answer within the time limit plus a grace (or when the attempt is
 * killed). Nothing the script does can block the worker's event loop or reach the host.
 */
export async function runSandboxedScript(run: SandboxRun): Promise<JsonValue> {
  if (run.signal.aborted) throw new TaskKilled();
  const memoryMiB = Math.round(run.memoryLimitBytes / 1024 / 1024);
  let worker: Worker;
  try {
    worker = await takeThread(run.memoryLimitBytes);
  } catch (error) {
    throw new ScriptFailure('SCRIPT_SANDBOX', `script sandbox failed to start: ${(error as Error).message}`);
  }
  // The attempt may have been killed while the thread was being taken.
  if (run.signal.aborted) {
    void worker.terminate();
    throw new TaskKilled();
  }
  worker.ref();
  return new Promise<JsonValue>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: { value: JsonValue } | { error: Error }) => {
      if (settled) return;
      settled = true;
      clearTimeout(hardStop);
      run.signal.removeEventListener('abort', onAbort);
      void worker.terminate();
      if ('error' in outcome) reject(outcome.error);
      else resolve(outcome.value);
    };
    const timeLimit = () =>
      new ScriptFailure('SCRIPT_TIME_LIMIT', `script exceeded its time limit of ${run.timeLimitMs} ms (the task's timeout; default CHRONICLE_SCRIPT_TIMEOUT_MS, at most CHRONICLE_SCRIPT_MAX_TIMEOUT_MS)`);
    const memoryLimit = () =>
      new ScriptFailure('SCRIPT_MEMORY_LIMIT', `script exceeded its memory limit of ${memoryMiB} MiB (the task's memoryLimitMb; default CHRONICLE_SCRIPT_MEMORY_MB, at most CHRONICLE_SCRIPT_MAX_MEMORY_MB)`);
    // The thread stops forwarding at the limits; the host counts too, as it trusts nothing from the thread.
    let logLines = 0;
    let logBytes = 0;
    let metrics = 0;
    const hardStop = setTimeout(() => finish({ error: timeLimit() }), run.timeLimitMs + HARD_STOP_GRACE_MS);
    const onAbort = () => finish({ error: new TaskKilled() });
    run.signal.addEventListener('abort', onAbort, { once: true });

    worker.postMessage({
      code: run.code,
      contextJson: JSON.stringify({ inputs: run.inputs, outputs: run.outputs }),
      timeLimitMs: run.timeLimitMs,
      memoryLimitBytes: run.memoryLimitBytes,
      stackLimitBytes: 512 * 1024,
      maxOutputBytes: run.maxOutputBytes,
      maxLogLines: run.maxLogLines,
      maxLogBytes: run.maxLogBytes,
      maxMetrics: run.maxMetrics,
      maxLogLineChars: MAX_LOG_LINE_CHARS,
      maxMetricNameChars: MAX_METRIC_NAME_CHARS,
    });
    worker.on('message', (message: WorkerMessage) => {
      switch (message.kind) {
        case 'ready':
          return;
        case 'log':
          logBytes += Buffer.byteLength(message.message);
          if (++logLines > run.maxLogLines) return finish({ error: logLinesLimit(run.maxLogLines) });
          if (logBytes > run.maxLogBytes) return finish({ error: logBytesLimit(run.maxLogBytes) });
          return run.log(LEVELS.has(message.level) ? (message.level as LogLevel) : 'INFO', message.message);
        case 'metric':
          if (++metrics > run.maxMetrics) return finish({ error: metricsLimit(run.maxMetrics) });
          if (message.name.length > MAX_METRIC_NAME_CHARS) return finish({ error: metricNameLimit() });
          if ((message.type === 'counter' || message.type === 'timer') && Number.isFinite(message.value)) {
            run.metric({ name: message.name, type: message.type, value: message.value });
          }
          return;
        case 'result': {
          const bytes = Buffer.byteLength(message.json);
          if (bytes > run.maxOutputBytes) return finish({ error: outputLimit(bytes, run.maxOutputBytes) });
          return finish({ value: JSON.parse(message.json) as JsonValue });
        }
        case 'error':
          switch (message.reason) {
            case 'time':
              return finish({ error: timeLimit() });
            case 'memory':
              return finish({ error: memoryLimit() });
            case 'stack':
              return finish({ error: new ScriptFailure('SCRIPT_ERROR', 'script failed: stack overflow (too deep recursion)') });
            case 'outputs':
              return finish({ error: outputLimit(Number(message.message), run.maxOutputBytes) });
            case 'logLines':
              return finish({ error: logLinesLimit(run.maxLogLines) });
            case 'logBytes':
              return finish({ error: logBytesLimit(run.maxLogBytes) });
            case 'metrics':
              return finish({ error: metricsLimit(run.maxMetrics) });
            case 'metricName':
              return finish({ error: metricNameLimit() });
            case 'sandbox':
              return finish({ error: new ScriptFailure('SCRIPT_SANDBOX', `script sandbox failed: ${message.message}`) });
            default:
              return finish({ error: new ScriptFailure('SCRIPT_ERROR', `script failed: ${message.message}`) });
          }
      }
    });
    worker.on('error', (error: Error & { code?: string }) =>
      finish({ error: error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? memoryLimit() : new ScriptFailure('SCRIPT_SANDBOX', `script sandbox failed: ${error.message}`) }),
    );
    worker.on('exit', (code) => finish({ error: new ScriptFailure('SCRIPT_SANDBOX', `script sandbox exited (code ${code}) without a result`) }));
  });
}

const outputLimit = (size: number, limit: number) =>
  new ScriptFailure('SCRIPT_OUTPUT_LIMIT', `script outputs are ${size} bytes of JSON, over the limit of ${limit} bytes (CHRONICLE_SCRIPT_MAX_OUTPUT_BYTES): store large data elsewhere and output a reference`);
const logLinesLimit = (limit: number) =>
  new ScriptFailure('SCRIPT_LOG_LIMIT', `script wrote more than ${limit} log lines (CHRONICLE_SCRIPT_MAX_LOG_LINES): it was stopped and the lines after the limit were not kept`);
const logBytesLimit = (limit: number) =>
  new ScriptFailure('SCRIPT_LOG_LIMIT', `script wrote more than ${limit} bytes of logs (CHRONICLE_SCRIPT_MAX_LOG_BYTES): it was stopped and the logs after the limit were not kept`);
const metricsLimit = (limit: number) =>
  new ScriptFailure('SCRIPT_METRIC_LIMIT', `script reported more than ${limit} metrics (CHRONICLE_SCRIPT_MAX_METRICS): it was stopped and the metrics after the limit were not kept`);
const metricNameLimit = () =>
  new ScriptFailure('SCRIPT_METRIC_LIMIT', `script reported a metric whose name is longer than ${MAX_METRIC_NAME_CHARS} characters: a metric name is a name, not data`);
