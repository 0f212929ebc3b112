import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { JsonObject, JsonValue } from '@chronicle/domain';
import { TaskFailure, TaskKilled, type LogLevel, type TaskMetric } from '../runnable-task.js';
import { SANDBOX_WORKER_SOURCE } from './script-sandbox.worker-source.js';

export interface SandboxLimits {
  readonly timeLimitMs: number;
  readonly memoryLimitBytes: number;
  /** Largest JSON text of the script's result. */
  readonly maxOutputBytes: number;
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
  constructor(override readonly code: 'SCRIPT.TIME_LIMIT' | 'SCRIPT.MEMORY_LIMIT' | 'SCRIPT.OUTPUT_LIMIT' | 'SCRIPT.ERROR' | 'SCRIPT.SANDBOX', message: string) {
    super(message);
    this.name = 'ScriptFailure';
  }
}

type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'log'; level: string; message: string }
  | { kind: 'metric'; type: string; name: string; value: number }
  | { kind: 'result'; json: string }
  | { kind: 'error'; reason: 'time' | 'memory' | 'stack' | 'outputs' | 'script' | 'sandbox'; message: string };

const require = createRequire(import.meta.url);
const CORE_PATH = require.resolve('quickjs-emscripten-core');
const VARIANT_PATH = require.resolve('@jitl/quickjs-wasmfile-release-sync');
const WASM_PATH = require.resolve('@jitl/quickjs-wasmfile-release-sync/wasm');
const LEVELS = new Set(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']);
/** Thread start-up is not the script's time, but a thread that never answers is stopped after this. */
const HARD_STOP_GRACE_MS = 5_000;

/** The project's `lib` has no WebAssembly types: the little used here, declared. */
type WasmModule = object;
const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> } };

/** QuickJS compiled once per process; every sandbox thread instantiates it (cheap) instead of compiling. */
let compiled: Promise<WasmModule> | undefined;
const wasmModule = () => (compiled ??= readFile(WASM_PATH).then((bytes) => wasm.compile(bytes)));

/** One thread is kept started and loaded, so a script does not wait for a thread to boot. */
let spare: Promise<Worker> | undefined;

async function newSandboxThread(): Promise<Worker> {
  const worker = new Worker(SANDBOX_WORKER_SOURCE, {
    eval: true,
    workerData: { corePath: CORE_PATH, variantPath: VARIANT_PATH, wasmModule: await wasmModule() },
    // A backstop for the thread's own JS heap; QuickJS's heap is bounded by its own limit.
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

async function takeThread(): Promise<Worker> {
  const ready = await spare?.catch(() => undefined);
  // A spare that died while idle (threadId -1) is not used.
  const taken = ready && ready.threadId >= 0 ? ready : await newSandboxThread();
  spare = newSandboxThread();
  // A spare that failed to start is replaced at the next take.
  spare.catch(() => undefined);
  return taken;
}

/**
 * Runs a script in QuickJS inside its own worker thread: the interrupt handler stops it at
 * the time limit, QuickJS's allocator at the memory limit, and the host terminates the
 * thread if it does not answer within the time limit plus a grace (or when the attempt is
 * killed). Nothing the script does can block the worker's event loop or reach the host.
 */
export async function runSandboxedScript(run: SandboxRun): Promise<JsonValue> {
  if (run.signal.aborted) throw new TaskKilled();
  const memoryMiB = Math.round(run.memoryLimitBytes / 1024 / 1024);
  let worker: Worker;
  try {
    worker = await takeThread();
  } catch (error) {
    throw new ScriptFailure('SCRIPT.SANDBOX', `script sandbox failed to start: ${(error as Error).message}`);
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
    const timeLimit = () => new ScriptFailure('SCRIPT.TIME_LIMIT', `script exceeded its time limit of ${run.timeLimitMs} ms`);
    const memoryLimit = () => new ScriptFailure('SCRIPT.MEMORY_LIMIT', `script exceeded its memory limit of ${memoryMiB} MiB`);
    const hardStop = setTimeout(() => finish({ error: timeLimit() }), run.timeLimitMs + HARD_STOP_GRACE_MS);
    const onAbort = () => finish({ error: new TaskKilled() });
    run.signal.addEventListener('abort', onAbort, { once: true });

    worker.postMessage({
      code: run.code,
      contextJson: JSON.stringify({ inputs: run.inputs, outputs: run.outputs }),
      timeLimitMs: run.timeLimitMs,
      memoryLimitBytes: run.memoryLimitBytes,
      stackLimitBytes: 512 * 1024,
      maxOutputChars: run.maxOutputBytes,
      maxLogLines: 10_000,
      maxLogLineChars: 64 * 1024,
    });
    worker.on('message', (message: WorkerMessage) => {
      switch (message.kind) {
        case 'ready':
          return;
        case 'log':
          return run.log(LEVELS.has(message.level) ? (message.level as LogLevel) : 'INFO', message.message);
        case 'metric':
          if ((message.type === 'counter' || message.type === 'timer') && Number.isFinite(message.value)) {
            run.metric({ name: message.name, type: message.type, value: message.value });
          }
          return;
        case 'result':
          return finish({ value: JSON.parse(message.json) as JsonValue });
        case 'error':
          switch (message.reason) {
            case 'time':
              return finish({ error: timeLimit() });
            case 'memory':
              return finish({ error: memoryLimit() });
            case 'stack':
              return finish({ error: new ScriptFailure('SCRIPT.ERROR', 'script failed: stack overflow (too deep recursion)') });
            case 'outputs':
              return finish({ error: outputLimit(Number(message.message), run.maxOutputBytes) });
            case 'sandbox':
              return finish({ error: new ScriptFailure('SCRIPT.SANDBOX', `script sandbox failed: ${message.message}`) });
            default:
              return finish({ error: new ScriptFailure('SCRIPT.ERROR', `script failed: ${message.message}`) });
          }
      }
    });
    worker.on('error', (error: Error & { code?: string }) =>
      finish({ error: error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? memoryLimit() : new ScriptFailure('SCRIPT.SANDBOX', `script sandbox failed: ${error.message}`) }),
    );
    worker.on('exit', (code) => finish({ error: new ScriptFailure('SCRIPT.SANDBOX', `script sandbox exited (code ${code}) without a result`) }));
  });
}

const outputLimit = (size: number, limit: number) =>
  new ScriptFailure('SCRIPT.OUTPUT_LIMIT', `script outputs are ${size} characters of JSON, over the limit of ${limit}`);
