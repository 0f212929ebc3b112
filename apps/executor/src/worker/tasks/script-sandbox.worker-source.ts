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

let QuickJS;
let loadError;
const loading = (async () => {
  try {
    // CommonJS builds: a thread loads them several times faster than the ESM ones.
    const core = require(w.corePath);
    const variantModule = require(w.variantPath);
    const variant = variantModule.default || variantModule;
    QuickJS = await core.newQuickJSWASMModuleFromVariant(core.newVariant(variant, { wasmModule: w.wasmModule }));
  } catch (error) {
    loadError = 'cannot load the JavaScript sandbox: ' + (error && error.message);
  }
  send({ kind: 'ready' });
})();

parentPort.once('message', (request) => loading.then(() => (loadError ? send({ kind: 'error', reason: 'sandbox', message: loadError }) : run(request))));

function run(r) {
  let interrupted = false;
  let logLines = 0;
  const deadline = Date.now() + r.timeLimitMs;
  const runtime = QuickJS.newRuntime();
  runtime.setMemoryLimit(r.memoryLimitBytes);
  runtime.setMaxStackSize(r.stackLimitBytes);
  runtime.setInterruptHandler(() => (Date.now() > deadline ? (interrupted = true) : false));
  const vm = runtime.newContext();

  const fail = (handle) => {
    const e = handle ? describe(vm, handle) : { name: 'Error', message: 'unknown error', stack: '' };
    if (interrupted) return send({ kind: 'error', reason: 'time', message: e.message });
    if (/out of memory/i.test(e.message)) return send({ kind: 'error', reason: 'memory', message: e.message });
    if (/stack overflow/i.test(e.message)) return send({ kind: 'error', reason: 'stack', message: e.message });
    send({ kind: 'error', reason: 'script', message: e.name + ': ' + e.message, stack: e.stack });
  };

  try {
    const logFn = vm.newFunction('__chronicle_log', (level, text) => {
      if (logLines++ < r.maxLogLines) send({ kind: 'log', level: vm.getString(level), message: vm.getString(text).slice(0, r.maxLogLineChars) });
    });
    vm.setProp(vm.global, '__chronicle_log', logFn);
    const metricFn = vm.newFunction('__chronicle_metric', (type, name, value) => {
      send({ kind: 'metric', type: vm.getString(type), name: vm.getString(name), value: vm.getNumber(value) });
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
    if (text.length > r.maxOutputChars) return send({ kind: 'error', reason: 'outputs', message: String(text.length) });
    send({ kind: 'result', json: text });
  } catch (error) {
    // A failure of the sandbox itself (e.g. the WASM heap could not grow): never of the host.
    if (interrupted) return send({ kind: 'error', reason: 'time', message: String(error && error.message) });
    send({ kind: 'error', reason: /memory/i.test(String(error && error.message)) ? 'memory' : 'sandbox', message: String(error && error.message) });
  }
}
`;
