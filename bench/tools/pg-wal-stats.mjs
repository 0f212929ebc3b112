#!/usr/bin/env node
// WAL flushes (fsyncs) and commits of an embedded Postgres started by the standalone, not a test:
// prints {"fsyncs":N,"backend_fsyncs":N,"commits":N} (Postgres 18: pg_stat_io's `wal` rows).
//   node bench/tools/pg-wal-stats.mjs CHRONICLE_DATA_DIR
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pg = require('pg');
const dir = path.join(process.argv[2], 'postgres');
const pidFile = [path.join(dir, 'pgdata', 'postmaster.pid'), path.join(dir, 'postmaster.pid')].find((f) => fs.existsSync(f));
const port = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[3]);
const password = fs.readFileSync(path.join(dir, 'postgres-password'), 'utf8').trim();
const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
await client.connect();
const io = await client.query(`SELECT coalesce(sum(fsyncs), 0)::bigint AS fsyncs, coalesce(sum(fsyncs) FILTER (WHERE backend_type = 'client backend'), 0)::bigint AS backend_fsyncs FROM pg_stat_io WHERE object = 'wal'`);
const db = await client.query('SELECT sum(xact_commit)::bigint AS commits FROM pg_stat_database');
console.log(JSON.stringify({ fsyncs: Number(io.rows[0].fsyncs), backend_fsyncs: Number(io.rows[0].backend_fsyncs), commits: Number(db.rows[0].commits) }));
await client.end();
