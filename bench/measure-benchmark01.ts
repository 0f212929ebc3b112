/**
 * Quick measurement for the foundation note: wall time of single benchmark01 executions
 * (one at a time) against a running Chronicle. Usage: tsx bench/measure-benchmark01.ts <url> <token> [n]
 * Reports the execution's own timestamps (start → end) and the client's view (request → SUCCESS seen
 * over graphql-ws).
 */
import { BENCHMARK01_FLOW, GatewayClient } from '@chronicle/testing';

const [url, token, n = '30'] = process.argv.slice(2);
const client = new GatewayClient(url!, token!);
await client.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: BENCHMARK01_FLOW });
const own: number[] = [];
const seen: number[] = [];
const sub = client.subscribe<{ executionsChanged: { id: string; state: string; startDate: string; endDate?: string } }>(
  `subscription { executionsChanged(namespace:"benchmarks", flowId:"benchmark01"){ id state startDate endDate } }`, {});
await new Promise((r) => setTimeout(r, 500));
for (let i = 0; i < Number(n) + 5; i++) {
  const t0 = performance.now();
  const { createExecution } = await client.data(`mutation{ createExecution(namespace:"benchmarks", flowId:"benchmark01"){ id } }`);
  const done = await new Promise<{ startDate: string; endDate?: string }>((resolve) => {
    const check = () => {
      const m = sub.received.find((x) => x.executionsChanged.id === createExecution.id && x.executionsChanged.state === 'SUCCESS');
      if (m) resolve(m.executionsChanged); else setTimeout(check, 1);
    };
    check();
  });
  if (i < 5) continue; // warm-up
  seen.push(performance.now() - t0);
  own.push(Date.parse(done.endDate!) - Date.parse(done.startDate));
}
sub.dispose();
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
console.log(JSON.stringify({ runs: own.length, ownP50Ms: q(own, 0.5), ownP95Ms: q(own, 0.95), clientP50Ms: +q(seen, 0.5).toFixed(1), clientP95Ms: +q(seen, 0.95).toFixed(1) }));
