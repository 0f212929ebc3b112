// Preload (node --require) for bench/tools/cpu-per-execution-distributed.sh COUNT_REQUESTS=1: counts
// this process's Kafka requests by API (Fetch, Produce, Heartbeat, OffsetCommit, ...), the messages
// produced and fetched per topic, and Postgres
// queries, and writes the running totals to $CHRONICLE_COUNT_DIR/<app>-<pid>.json every second.
// Not loaded by anything but that benchmark; counts do not depend on how busy the machine is.
// Also counts new Postgres connections (`connects`: each one is a new backend, a fork and its
// start-up); CHRONICLE_COUNT_SQL=1 adds a count per statement text (its first 60 characters).
const fs = require('node:fs');
const path = require('node:path');
const dir = process.env.CHRONICLE_COUNT_DIR;
const app = /apps\/(\w+)\/dist\/main\.js/.exec(process.argv[1] ?? '')?.[1];
if (dir && app) {
  const counts = { kafka: {}, pg: { queries: 0, connects: 0 }, ...(process.env.CHRONICLE_COUNT_SQL ? { sql: {} } : {}) };
  const bump = (bag, key) => (bag[key] = (bag[key] ?? 0) + 1);
  const from = { paths: [process.cwd()] };
  try {
    const Connection = require(require.resolve('kafkajs/src/network/connection.js', from));
    const send = Connection.prototype.send;
    Connection.prototype.send = function (args) {
      bump(counts.kafka, args.request.apiName);
      return send.call(this, args);
    };
  } catch {}
  // Messages produced and fetched per topic (`produced:<topic>`, `fetched:<topic>`, the topic without
  // its prefix): which hop carries what, beside the requests that carry them.
  try {
    const Broker = require(require.resolve('kafkajs/src/broker/index.js', from));
    const short = (topic) => String(topic).slice(String(topic).lastIndexOf('.') + 1);
    const produce = Broker.prototype.produce;
    Broker.prototype.produce = function (args) {
      for (const { topic, partitions } of args?.topicData ?? []) for (const p of partitions ?? []) counts.kafka[`produced:${short(topic)}`] = (counts.kafka[`produced:${short(topic)}`] ?? 0) + (p.messages?.length ?? 0);
      return produce.call(this, args);
    };
    const fetch = Broker.prototype.fetch;
    Broker.prototype.fetch = async function (args) {
      const response = await fetch.call(this, args);
      for (const { topicName, partitions } of response?.responses ?? []) {
        const n = (partitions ?? []).reduce((sum, p) => sum + (p.messages?.length ?? 0), 0);
        if (n > 0) counts.kafka[`fetched:${short(topicName)}`] = (counts.kafka[`fetched:${short(topicName)}`] ?? 0) + n;
      }
      return response;
    };
  } catch {}
  try {
    const Client = require(require.resolve('pg/lib/client.js', from));
    const query = Client.prototype.query;
    Client.prototype.query = function (...args) {
      counts.pg.queries += 1;
      const text = typeof args[0] === 'string' ? args[0] : args[0]?.text;
      if (typeof text === 'string' && /^\s*(commit|begin)\b/i.test(text)) bump(counts.pg, text.trim().split(/\s+/)[0].toUpperCase());
      if (counts.sql && typeof text === 'string') bump(counts.sql, text.replace(/\s+/g, ' ').trim().slice(0, 60));
      return query.apply(this, args);
    };
    const connect = Client.prototype.connect;
    Client.prototype.connect = function (...args) {
      counts.pg.connects += 1;
      bump(counts.pg, `connects:${this.connectionParameters?.application_name || 'unnamed'}`);
      return connect.apply(this, args);
    };
  } catch {}
  const file = path.join(dir, `${app}-${process.pid}.json`);
  // Written aside and renamed: a reader never sees half a file.
  setInterval(() => {
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(counts));
    fs.renameSync(`${file}.tmp`, file);
  }, 1000).unref();
}
