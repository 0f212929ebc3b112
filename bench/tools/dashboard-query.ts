/**
 * Dashboard query latency over 1 million executions (not a test). The `execution_stats`
 * aggregates are seeded as the projector would leave them after a week of ~100 executions a
 * minute across 20 flows, then `dashboard` is timed per range and filter. Run from the repo root:
 *   CHRONICLE_TEST_PG_URL=postgres://... npx tsc -b tsconfig.build.json && npx tsx bench/tools/dashboard-query.ts (the built read model: its entities need decorator metadata)
 */
import { createTestDatabase } from '@chronicle/testing';
import { createReadModelDataSource, ReadModelQueries, runReadModelMigrations } from '@chronicle/read-model';

const WEEK_MINUTES = 7 * 24 * 60;
const db = await createTestDatabase('bench_dashboard');
const dataSource = await createReadModelDataSource(db.url, { poolSize: 2 });
try {
  await runReadModelMigrations(dataSource);
  const now = new Date();
  now.setUTCSeconds(0, 0);
  // Per minute and flow: 4 quick successes, a slower one every other minute, a failure every
  // third, a warning every fifth; durations spread over several bins.
  await dataSource.query(
    `INSERT INTO execution_stats (bucket, namespace, flow_id, state, duration_bin, executions)
     SELECT $1::timestamptz - make_interval(mins => m), 'ns' || (f % 2), 'flow' || f, s.state, s.bin, s.n
       FROM generate_series(0, $2::int - 1) m, generate_series(0, 19) f,
            LATERAL (VALUES ('SUCCESS', 18 + (m + f) % 6, 4, true), ('SUCCESS', 26, 1, m % 2 = 0),
                            ('FAILED', 22, 1, (m + f) % 3 = 0), ('WARNING', 24, 1, (m + f) % 5 = 0)) AS s(state, bin, n, keep)
      WHERE s.keep`,
    [now.toISOString(), WEEK_MINUTES],
  );
  await dataSource.query(
    `INSERT INTO execution_stats_hourly (bucket, namespace, flow_id, state, duration_bin, executions)
     SELECT date_trunc('hour', bucket), namespace, flow_id, state, duration_bin, sum(executions)::int FROM execution_stats GROUP BY 1, 2, 3, 4, 5`,
  );
  await dataSource.query(`INSERT INTO execution_stats_hourly VALUES ($1, 'ns0', 'flow0', 'RUNNING', -1, 12), ($1, 'ns1', 'flow1', 'QUEUED', -1, 3)`, [new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000).toISOString()]);
  await dataSource.query(`INSERT INTO execution_stats VALUES ($1, 'ns0', 'flow0', 'RUNNING', -1, 12), ($1, 'ns1', 'flow1', 'QUEUED', -1, 3)`, [now.toISOString()]);
  await dataSource.query('ANALYZE execution_stats; ANALYZE execution_stats_hourly');
  const [{ executions, rows }] = await dataSource.query('SELECT sum(executions)::bigint AS executions, count(*)::int AS rows FROM execution_stats');
  console.log(`seeded ${executions} executions in ${rows} aggregate rows`);

  const queries = new ReadModelQueries(dataSource);
  // As the UI asks: a relative range ends on its next whole bucket (hours for a day or a week).
  const to = new Date(Math.ceil((now.getTime() + 1) / 21_600_000) * 21_600_000);
  const cases = [
    { label: 'last hour (per minute)', from: new Date(now.getTime() + 60_000 - 3_600_000), to: new Date(now.getTime() + 60_000), bucketSeconds: 120 },
    { label: 'last day', from: new Date(to.getTime() - 86_400_000) },
    { label: 'last week', from: new Date(to.getTime() - 7 * 86_400_000) },
    { label: 'last week, one namespace', from: new Date(to.getTime() - 7 * 86_400_000), namespace: 'ns0' },
    { label: 'last week, one flow', from: new Date(to.getTime() - 7 * 86_400_000), namespace: 'ns0', flowId: 'flow0' },
  ];
  for (const c of cases) {
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < 7; i++) {
      const started = process.hrtime.bigint();
      total = (await queries.dashboard({ to, ...c })).total;
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    times.sort((a, b) => a - b);
    console.log(`${c.label}: median ${times[3]!.toFixed(1)} ms, max ${times[6]!.toFixed(1)} ms (${total} executions)`);
  }
} finally {
  await dataSource.destroy();
  await db.drop();
}
