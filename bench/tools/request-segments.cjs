// Preload (node --require) for the standalone under load (bench/tools/standalone-tail.sh): where a
// request's time goes. Histograms of the server-side request time (HTTP request start -> response
// finish: a client's latency minus this is time the request waited before the event loop read it),
// of the log's appends (pool.query of chronicle_append, pool wait included) and of the other pool
// queries; the statements sent, counted by their first 90 characters; and, every 2 s, the embedded
// Postgres's WAL fsyncs (all, and those of client backends: commits that waited for the disk),
// commits and WAL bytes (pg_stat_io / pg_stat_wal, Postgres 18). Written to $SEG_OUT (and
// $SEG_OUT.wal) every few seconds. Counts do not depend on how busy the machine is; times do.
const dc = require('diagnostics_channel'); const { createHistogram } = require('perf_hooks'); const fs = require('fs'); const path = require('path');
const H = { request: createHistogram(), appendPool: createHistogram(), appendQuery: createHistogram(), otherPool: createHistogram() };
const starts = new WeakMap(); const Q = {};
dc.subscribe('http.server.request.start', ({ request }) => starts.set(request, process.hrtime.bigint()));
dc.subscribe('http.server.response.finish', ({ request }) => { const s = starts.get(request); if (s) H.request.record(Number(process.hrtime.bigint() - s) || 1); });
const pg = require(require.resolve('pg', { paths: [process.cwd()] })); // the server's own copy
const poolQuery = pg.Pool.prototype.query;
pg.Pool.prototype.query = function (text, values, cb) {
  const t0 = process.hrtime.bigint(); const isAppend = typeof text === 'string' && text.includes('chronicle_append');
  const r = poolQuery.call(this, text, values, cb);
  if (r && typeof r.then === 'function') r.then(() => (isAppend ? H.appendPool : H.otherPool).record(Number(process.hrtime.bigint() - t0) || 1), () => {});
  return r;
};
const clientQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, values, cb) {
  const text = typeof config === 'string' ? config : config && config.text; if (typeof text === 'string') { const k = text.replace(/\s+/g,' ').slice(0, 90); Q[k] = (Q[k] || 0) + 1; }
  const r = clientQuery.call(this, config, values, cb);
  if (typeof text === 'string' && text.includes('chronicle_append') && r && typeof r.then === 'function') { const t0 = process.hrtime.bigint(); r.then(() => H.appendQuery.record(Number(process.hrtime.bigint() - t0) || 1), () => {}); }
  return r;
};
const dump = () => { const o = { at: Date.now() }; o.queries = Q; for (const [k, h] of Object.entries(H)) o[k] = { n: h.count, p50: h.percentile(50) / 1e6, p90: h.percentile(90) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6 }; try { fs.writeFileSync(process.env.SEG_OUT || '/tmp/tail/seg.json', JSON.stringify(o)); } catch {} };
setInterval(dump, 5000).unref(); process.on('exit', dump);
// reset after the warm-up so the table covers the measured window
setTimeout(() => { for (const h of Object.values(H)) h.reset(); }, +(process.env.SEG_RESET_MS || 0)).unref();
// WAL fsyncs and commits of the whole Postgres, sampled every 5 s through the first pool's connection string.
let walUrl;
const origConnect = pg.Pool.prototype.connect;
pg.Pool.prototype.connect = function (...a) { if (!walUrl && this.options && this.options.connectionString) { walUrl = this.options.connectionString; startWal(); } return origConnect.apply(this, a); };
const WAL = [];
function startWal() {
  const c = new pg.Client({ connectionString: walUrl }); c.connect().catch(() => {});
  const sample = () => c.query(`SELECT (SELECT coalesce(sum(fsyncs),0) FROM pg_stat_io WHERE object = 'wal')::bigint AS fsyncs, (SELECT coalesce(sum(fsyncs),0) FROM pg_stat_io WHERE object = 'wal' AND backend_type = 'client backend')::bigint AS client_fsyncs, (SELECT coalesce(sum(fsync_time),0) FROM pg_stat_io WHERE object = 'wal' AND backend_type = 'client backend')::float8 AS client_fsync_ms, (SELECT coalesce(sum(writes),0) FROM pg_stat_io WHERE object = 'wal')::bigint AS writes, (SELECT sum(xact_commit) FROM pg_stat_database)::bigint AS commits, (SELECT wal_bytes FROM pg_stat_wal)::bigint AS wal_bytes`).then((r) => { WAL.push({ t: Date.now(), ...r.rows[0] }); try { fs.writeFileSync((process.env.SEG_OUT || '/tmp/tail/seg.json') + '.wal', JSON.stringify(WAL)); } catch {} }, () => {});
  setInterval(sample, 2000).unref();
}
