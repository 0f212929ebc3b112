/**
 * The body of the worker thread that runs one script in QuickJS. Kept as plain JavaScript
 * text (run with `new Worker(source, { eval: true })`) so that the same code runs from the
 * TypeScript sources (tests) and from the compiled build, with no loader in the thread.
 *
 * The thread starts warm: it instantiates QuickJS from the WebAssembly.Module the host
 * compiled once (workerData.wasmModule), posts `{ kind: 'ready' }` and waits for ONE run
 * request. While the script runs it posts `{ kind: 'log' | 'metric' }`, and at the end
 * exactly one `{ kind: 'result', json }` or `{ kind: 'error', reason, message }`; then the
 * host terminates it (a thread never runs two scripts: nothing leaks between them).
 * QuickJS gets no host module (no std/os): the script sees only `inputs`, `outputs`,
 * `log`, `console`, `counter` and `timer`.
 */
export const SANDBOX_WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const w = workerData;
const send = (message) => parentPort.postMessage(message);

const PRELUDE = [
  'const __fmt = (args) => args.map((a) => { if (typeof a === "string") return a; try { const s = JSON.stringify(a); return s === undefined ? String(a) : s; } catch (e) { return String(a); } }).join(" ");',
  'const __log = __chronicle_log;',
  'globalThis.log = (...a) => __log("INFO", __fmt(a));',
  'globalThis.console = Object.freeze({ log: (...a) => __log("INFO", __fmt(a)), info: (...a) => __log("INFO", __fmt(a)), debug: (...a) => __log("DEBUG", __fmt(a)), warn: (...a) => __log("WARN", __fmt(a)), error: (...a) => __log("ERROR", __fmt(a)) });',
  'const __metric = __chronicle_metric;',
  'globalThis.counter = (name, value = 1) => __metric("counter", String(name), Number(value));',
  'globalThis.timer = (name, ms) => __metric("timer", String(name), Number(ms));',
  'const __freeze = (v) => { if (v && typeof v === "object") { Object.values(v).forEach(__freeze); Object.freeze(v); } return v; };',
  'const __ctx = JSON.parse(__chronicle_context);',
  'Object.defineProperty(globalThis, "inputs", { value: __freeze(__ctx.inputs), enumerable: true });',
  'Object.defineProperty(globalThis, "outputs", { value: __freeze(__ctx.outputs), enumerable: true });',
  'delete globalThis.__chronicle_log; delete globalThis.__chronicle_metric; delete globalThis.__chronicle_context;',
].join('\n');

function describe(vm, handle) {
  try {
    const e = vm.dump(handle);
    if (e && typeof e === 'object') return { name: String(e.name || 'Error'), message: String(e.message || e), stack: e.stack ? String(e.stack) : '' };
    return { name: 'Error', message: String(e), stack: '' };
  } catch (err) {
    return { name: 'InternalError', message: 'out of memory', stack: '' };
  }
}

// QuickJS's own accounting cannot bound memory in WebAssembly: its allocator asks
// malloc_usable_size() how big each block is, which is 0 in an Emscripten build, so
// setMemoryLimit only refuses a single request larger than the limit and a loop of small
// allocations grows without bound. The bound that holds is the WebAssembly memory itself:
// each run gets a Memory whose maximum is its limit (plus the fixed part: static data,
// stack and the empty runtime), and malloc fails once it cannot grow.
const PAGE = 65536;
const INITIAL_BYTES = 16 * 1024 * 1024; // the build's INITIAL_MEMORY: the import's declared minimum
const FIXED_BYTES = 8 * 1024 * 1024;
// When QuickJS runs out of memory it may not even have room for the error: a failure with the
// memory (nearly) at its maximum is the memory limit, whatever came back.
const NEAR_MAXIMUM_BYTES = 4 * 1024 * 1024;
const memoryExhausted = () => wasmMemory.buffer.byteLength + NEAR_MAXIMUM_BYTES >= maximumPages(loadedLimit) * PAGE;
const maximumPages = (limitBytes) => Math.max(INITIAL_BYTES, Math.ceil((limitBytes + FIXED_BYTES) / PAGE) * PAGE) / PAGE;

let QuickJS;
let wasmMemory;
let loadedLimit;
let loadError;
async function load(limitBytes) {
  try {
    // CommonJS builds: a thread loads them several times faster than the ESM ones.
    const core = require(w.corePath);
    const variantModule = require(w.variantPath);
    const variant = variantModule.default || variantModule;
    wasmMemory = new WebAssembly.Memory({ initial: INITIAL_BYTES / PAGE, maximum: maximumPages(limitBytes) });
    QuickJS = await core.newQuickJSWASMModuleFromVariant(core.newVariant(variant, { wasmModule: w.wasmModule, wasmMemory }));
    loadedLimit = limitBytes;
    loadError = undefined;
  } catch (error) {
    loadError = 'cannot load the JavaScript sandbox: ' + (error && error.message);
  }
}
// A spare thread loads for the default limit before it is asked; another limit loads again (the module is compiled once).
const loading = load(w.memoryLimitBytes).then(() => send({ kind: 'ready' }));

parentPort.once('message', (request) =>
  loading
    .then(() => (request.memoryLimitBytes === loadedLimit ? undefined : load(request.memoryLimitBytes)))
    .then(() => (loadError ? send({ kind: 'error', reason: 'sandbox', message: loadError }) : run(request))),
);

function run(r) {
  let interrupted = false;
  // Set when the script passes a log or metric limit: the interrupt handler then ends it (uncatchable).
  let stopped;
  let logLines = 0;
  let logBytes = 0;
  let metrics = 0;
  const deadline = Date.now() + r.timeLimitMs;
  const runtime = QuickJS.newRuntime();
  // Still useful: refuses any single allocation larger than the limit before the memory has to grow.
  runtime.setMemoryLimit(r.memoryLimitBytes);
  runtime.setMaxStackSize(r.stackLimitBytes);
  runtime.setInterruptHandler(() => {
    if (stopped) return true;
    return Date.now() > deadline ? (interrupted = true) : false;
  });
  const vm = runtime.newContext();

  const fail = (handle) => {
    if (stopped) return send({ kind: 'error', reason: stopped, message: '' });
    const e = handle ? describe(vm, handle) : { name: 'Error', message: 'unknown error', stack: '' };
    if (interrupted) return send({ kind: 'error', reason: 'time', message: e.message });
    if (/out of memory/i.test(e.message) || ((e.message === '' || e.name === 'InternalError') && memoryExhausted())) return send({ kind: 'error', reason: 'memory', message: e.message });
    if (/stack overflow/i.test(e.message)) return send({ kind: 'error', reason: 'stack', message: e.message });
    send({ kind: 'error', reason: 'script', message: e.name + ': ' + e.message, stack: e.stack });
  };

  try {
    const logFn = vm.newFunction('__chronicle_log', (level, text) => {
      if (stopped) return;
      const message = vm.getString(text);
      logBytes += Buffer.byteLength(message);
      if (++logLines > r.maxLogLines) stopped = 'logLines';
      else if (logBytes > r.maxLogBytes) stopped = 'logBytes';
      // One line stays well under a Kafka message; the whole of it counted against the byte limit above.
      else send({ kind: 'log', level: vm.getString(level), message: message.length > r.maxLogLineChars ? message.slice(0, r.maxLogLineChars) + ' … [line truncated: ' + message.length + ' characters]' : message });
    });
    vm.setProp(vm.global, '__chronicle_log', logFn);
    const metricFn = vm.newFunction('__chronicle_metric', (type, name, value) => {
      if (stopped) return;
      if (++metrics > r.maxMetrics) return void (stopped = 'metrics');
      const metricName = vm.getString(name);
      if (metricName.length > r.maxMetricNameChars) return void (stopped = 'metricName');
      send({ kind: 'metric', type: vm.getString(type), name: metricName, value: vm.getNumber(value) });
    });
    vm.setProp(vm.global, '__chronicle_metric', metricFn);
    vm.setProp(vm.global, '__chronicle_context', vm.newString(r.contextJson));
    const prelude = vm.evalCode(PRELUDE, 'chronicle-prelude.js');
    if (prelude.error) return fail(prelude.error);

    let result = vm.evalCode(r.code, 'script.js');
    if (result.error) {
      const e = describe(vm, result.error);
      // A top-level return is allowed: parse errors happen before anything ran, so run it again as a function body.
      if (e.name === 'SyntaxError' && /return/.test(e.message)) result = vm.evalCode('(function () {' + r.code + '\n})()', 'script.js');
      if (result.error) return fail(result.error);
    }
    let value = result.value;
    if (vm.typeof(value) === 'object' && vm.getPromiseState) {
      const state = vm.getPromiseState(value);
      if (state.type === 'pending') {
        runtime.executePendingJobs();
        const settled = vm.getPromiseState(value);
        if (settled.type === 'pending') return send({ kind: 'error', reason: 'script', message: 'the script returned a promise that never settles (the sandbox has no timers or I/O)' });
        if (settled.type === 'rejected') return fail(settled.error);
        value = settled.value;
      } else if (state.type === 'rejected') return fail(state.error);
      else if (state.type === 'fulfilled' && !state.notAPromise) value = state.value;
    }
    vm.setProp(vm.global, '__chronicle_result', value);
    const json = vm.evalCode('(() => { const r = globalThis.__chronicle_result; return r === undefined ? "null" : JSON.stringify(r); })()', 'chronicle-result.js');
    if (json.error) return fail(json.error);
    const text = vm.getString(json.value);
    // A limit passed just before the end (no interrupt check since) still fails the script.
    if (stopped) return fail();
    const bytes = Buffer.byteLength(text);
    if (bytes > r.maxOutputBytes) return send({ kind: 'error', reason: 'outputs', message: String(bytes) });
    send({ kind: 'result', json: text });
  } catch (error) {
    if (stopped) return fail();
    // A failure of the sandbox itself (e.g. the WASM heap could not grow): never of the host.
    if (interrupted) return send({ kind: 'error', reason: 'time', message: String(error && error.message) });
    send({ kind: 'error', reason: /memory/i.test(String(error && error.message)) || memoryExhausted() ? 'memory' : 'sandbox', message: String(error && error.message) });
  }
}
`;
