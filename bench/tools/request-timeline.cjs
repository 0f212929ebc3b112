// Preload (node --require) for bench/tools/idle-breakdown.sh, not loaded by anything else: a timeline
// of each HTTP request of the standalone, in ms from the request's start (Node's
// http.server.request.start: headers parsed): `mw` = the security-headers middleware (first), `handler` = the webhook controller's first line
// (both set the webhook's Content-Security-Policy; body parse, routing and Nest's pipes are between), `poolCall` = the append's pool.query called (the first decision is between handler and it),
// `sent` = the append's statement handed to its pg client (pool wait between), `appended` = its
// answer parsed, `end` = res.end called (the answer rendered), `finish` = the answer handed to the
// kernel. Also every other statement a request's window saw (`others`, by the first 60 characters)
// and the statements sent between requests (`between`). Written to $TL_OUT at exit and every 2 s.
const dc = require('diagnostics_channel'); const http = require('http'); const fs = require('fs');
const now = () => Number(process.hrtime.bigint()) / 1e6;
const T = []; let cur; let between = {};
dc.subscribe('http.server.request.start', ({ request }) => { cur = { t0: now(), others: {}, between }; between = {}; T.push(cur); request.__tl = cur; });
dc.subscribe('http.server.response.finish', ({ request }) => { const r = request.__tl; if (r) { r.finish = now() - r.t0; if (cur === r) cur = undefined; } });
const setHeader = http.ServerResponse.prototype.setHeader;
http.ServerResponse.prototype.setHeader = function (name, value) { const r = this.req && this.req.__tl; if (r && name === 'Content-Security-Policy' && String(value).includes('sandbox')) { if (r.mw === undefined) r.mw = now() - r.t0; else r.handler = now() - r.t0; } return setHeader.call(this, name, value); };
const end = http.ServerResponse.prototype.end;
http.ServerResponse.prototype.end = function (...a) { const r = this.req && this.req.__tl; if (r && r.end === undefined) r.end = now() - r.t0; return end.apply(this, a); };
const pg = require(require.resolve('pg', { paths: [process.cwd()] }));
const poolQuery = pg.Pool.prototype.query;
pg.Pool.prototype.query = function (text, values, cb) {
  const t = typeof text === 'string' ? text : text && text.text; const r = cur;
  if (r && typeof t === 'string' && t.includes('chronicle_append') && r.poolCall === undefined) {
    r.poolCall = now() - r.t0; const p = poolQuery.call(this, text, values, cb);
    if (p && p.then) p.then(() => { r.appended = now() - r.t0; }, () => {}); return p;
  }
  return poolQuery.call(this, text, values, cb);
};
const clientQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, values, cb) {
  const t = typeof config === 'string' ? config : config && config.text;
  if (typeof t === 'string') {
    const k = t.replace(/\s+/g, ' ').slice(0, 60);
    if (cur && t.includes('chronicle_append') && cur.sent === undefined) cur.sent = now() - cur.t0;
    else if (cur) { cur.others[k] = (cur.others[k] || 0) + 1; if (cur.sent !== undefined && cur.otherFirst === undefined) cur.otherFirst = now() - cur.t0; } else between[k] = (between[k] || 0) + 1;
  }
  return clientQuery.call(this, config, values, cb);
};
// `notified` = the append's NOTIFY reached this process (a LISTEN client's 'notification'), `otherFirst` = the
// first other statement sent after the append's (the subscriptions' read it wakes, usually).
const emit = pg.Client.prototype.emit;
pg.Client.prototype.emit = function (name, ...a) { if (name === 'notification' && cur && cur.sent !== undefined && cur.notified === undefined) cur.notified = now() - cur.t0; return emit.call(this, name, ...a); };
const dump = () => { try { fs.writeFileSync(process.env.TL_OUT || '/tmp/timeline.json', JSON.stringify(T)); } catch {} };
setInterval(dump, 2000).unref(); process.on('exit', dump); process.on('SIGUSR2', dump);
// TL_SAMPLE=FILE: the 300th append's statement, its values and the pool's connection string, for
// timing the statement alone against the same Postgres (idle-append-sql.mjs).
let appends = 0;
if (process.env.TL_SAMPLE) {
  const q = pg.Pool.prototype.query;
  pg.Pool.prototype.query = function (text, values, cb) {
    if (typeof text === 'string' && text.includes('chronicle_append') && ++appends === 300) { try { fs.writeFileSync(process.env.TL_SAMPLE, JSON.stringify({ text, values, url: this.options.connectionString, host: this.options.host, port: this.options.port, password: this.options.password, user: this.options.user, database: this.options.database })); } catch {} }
    return q.call(this, text, values, cb);
  };
}
