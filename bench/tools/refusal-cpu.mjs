// Usage: node bench/tools/refusal-cpu.mjs <url> <token> <pid> [count=20000] [concurrency=32] [kind=webhook]
// With the server's admission bound reached (CHRONICLE_MAX_IN_FLIGHT=1 and one paused execution
// holding it), sends `count` starts (keep-alive, `concurrency` at a time), every one refused, and
// prints the server process's CPU time per refusal (utime + stime from /proc: the machine's other
// load does not count) and the refusals' latency percentiles. `kind`: webhook (a webhook call),
// rest (POST /api/v1/executions/{namespace}/{flowId}) or graphql (the createExecution mutation;
// refused with HTTP 200 and a TOO_MANY_REQUESTS error), each with a body of ~250 bytes.
import { readFileSync } from 'node:fs';

const [url, token, pid, countArg, concurrencyArg, kindArg] = process.argv.slice(2);
const kind = kindArg ?? 'webhook';
const count = Number(countArg ?? 20000);
const concurrency = Number(concurrencyArg ?? 32);
const NS = 'bench.refusals';
const FLOW = `id: gate\nnamespace: ${NS}\ntasks:\n  - { id: hold, type: io.kestra.plugin.core.flow.Pause }\ntriggers:\n  - { id: hook, type: io.kestra.plugin.core.trigger.Webhook, key: refusal-bench-key }\n`;
const hook = `${url}/api/v1/executions/webhook/${NS}/gate/refusal-bench-key?wait=true`;
const cpuMs = () => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

const deployed = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: 'mutation($s:String!){ deployFlow(source:$s){ revision } }', variables: { s: FLOW } }) });
if (!deployed.ok) throw new Error(`deploy: ${deployed.status} ${await deployed.text()}`);
const held = await fetch(hook.replace('?wait=true', ''), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
if (held.status !== 200) throw new Error(`the holding start: ${held.status} ${await held.text()}`);

const inputs = (n) => ({ name: `r${n}`, padding: 'x'.repeat(200) });
/** The fetch arguments of the n-th refused start of this kind. */
function call(n) {
  const json = { 'content-type': 'application/json' };
  if (kind === 'webhook') return [hook, { method: 'POST', headers: json, body: JSON.stringify(inputs(n)) }];
  const authorised = { ...json, authorization: `Bearer ${token}` };
  if (kind === 'rest') return [`${url}/api/v1/executions/${NS}/gate`, { method: 'POST', headers: authorised, body: JSON.stringify(inputs(n)) }];
  if (kind === 'graphql') return [`${url}/graphql`, { method: 'POST', headers: authorised, body: JSON.stringify({ query: `mutation($i: JSON) { createExecution(namespace: "${NS}", flowId: "gate", inputs: $i) { id state } }`, variables: { i: inputs(n) } }) }];
  throw new Error(`kind must be webhook, rest or graphql (got ${kind})`);
}

async function blast(n) {
  const statuses = {};
  const latencies = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      const t = performance.now();
      const res = await fetch(...call(next));
      const text = await res.text();
      if (kind === 'graphql' && !text.includes('TOO_MANY_REQUESTS')) throw new Error(`a GraphQL start not refused: ${text}`);
      latencies.push(performance.now() - t);
      const key = `${res.status}${res.headers.get('retry-after') ? '+retry-after' : ''}`;
      statuses[key] = (statuses[key] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  latencies.sort((a, b) => a - b);
  const p = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] * 10) / 10;
  return { statuses, p50: p(0.5), p99: p(0.99) };
}

await blast(Math.min(2000, count)); // warm-up: JIT, connections
const cpu0 = cpuMs();
const t0 = performance.now();
const result = await blast(count);
const wallMs = performance.now() - t0;
const used = cpuMs() - cpu0;
console.log(JSON.stringify({ refusals: count, concurrency, statuses: result.statuses, serverCpuMs: used, serverCpuUsPerRefusal: Math.round((used * 1000) / count), perSecond: Math.round((count * 1000) / wallMs), latencyP50Ms: result.p50, latencyP99Ms: result.p99 }));
