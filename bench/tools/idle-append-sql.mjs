// Times one benchmark01 append ALONE against the standalone's own embedded Postgres (idle server), not
// a test: `SELECT 1`, the captured chronicle_append statement (request-timeline.cjs TL_SAMPLE: fresh
// stream and event ids each time) with synchronous_commit on and off, and the same inside BEGIN ... ROLLBACK
// (no commit), and the statement's execution time inside Postgres (EXPLAIN ANALYZE, rolled back). p50 of N each, alternated. What it splits: the statement's execution vs its commit's WAL flush.
//   node bench/tools/idle-append-sql.mjs SAMPLE.json [N=200]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
const require = createRequire(process.cwd() + '/');
const pg = require('pg');
const s = JSON.parse(readFileSync(process.argv[2], 'utf8')); const n = Number(process.argv[3] ?? 200);
const c = new pg.Client({ connectionString: s.url }); await c.connect();
const fresh = () => { const x = randomUUID(); return s.values[0].replace(/"s":"execution-[0-9a-f-]+"/g, `"s":"execution-${x}"`).replace(/"id":"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f-]+"/g, () => `"id":"${randomUUID()}"`); };
const t = async (f) => { const a = process.hrtime.bigint(); await f(); return Number(process.hrtime.bigint() - a) / 1e6; };
const R = { select1: [], jsonb_param: [], append_sync: [], append_async: [], append_rollback: [], server_exec: [] };
for (let i = 0; i < n; i++) {
  R.select1.push(await t(() => c.query('SELECT 1')));
  R.jsonb_param.push(await t(() => c.query('SELECT jsonb_array_length($1::jsonb)', [fresh()])));
  R.append_sync.push(await t(() => c.query(s.text, [fresh()])));
  await c.query('SET synchronous_commit = off');
  R.append_async.push(await t(() => c.query(s.text, [fresh()])));
  await c.query('SET synchronous_commit = on');
  await c.query('BEGIN'); R.append_rollback.push(await t(() => c.query(s.text, [fresh()]))); await c.query('ROLLBACK');
  await c.query('BEGIN'); const { rows } = await c.query('EXPLAIN (ANALYZE, FORMAT JSON) ' + s.text, [fresh()]); await c.query('ROLLBACK');
  R.server_exec.push(rows[0]['QUERY PLAN'][0]['Execution Time']);
}
const p = (xs, q) => { const y = [...xs].sort((a, b) => a - b); return +y[Math.floor(y.length * q)].toFixed(3); };
console.log(JSON.stringify(Object.fromEntries(Object.entries(R).map(([k, v]) => [k, { p50: p(v, 0.5), p90: p(v, 0.9) }]))));
await c.end();
