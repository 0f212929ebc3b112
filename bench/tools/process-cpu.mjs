#!/usr/bin/env node
// CPU seconds of a process tree, per role (gateway, executor, kafka, postgres, ...), over a window.
// Not a test: a measuring aid for bench/tools/cpu-per-execution-distributed.sh.
//   node bench/tools/process-cpu.mjs PID[,PID...] SECONDS   measure for SECONDS, print JSON
//   node bench/tools/process-cpu.mjs PID[,PID...]           measure until SIGTERM/SIGINT, then print JSON
// Every descendant of the PIDs counts (Postgres backends, the JVM); a process that starts during the
// window counts from zero. One that ends during it is counted through its parent: a reaped child's CPU
// moves into the parent's cutime/cstime, which count too (a pool that closes idle Postgres
// connections and opens new ones pays for each new backend: that cost would otherwise vanish).
import fs from 'node:fs';

const CLK = 100; // USER_HZ
const roots = String(process.argv[2] ?? '').split(',').map(Number).filter((p) => p > 0);
const seconds = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
if (roots.length === 0) {
  console.error('usage: process-cpu.mjs PID[,PID...] [SECONDS]');
  process.exit(2);
}

const read = (pid, file) => {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return null;
  }
};
function stat(pid) {
  const s = read(pid, 'stat');
  if (!s) return null;
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  // utime + stime + cutime + cstime (the last two: reaped children, e.g. ended Postgres backends).
  return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
}
function role(pid) {
  const cmd = (read(pid, 'cmdline') ?? '').split('\0').join(' ');
  const app = /apps\/(\w+)\/dist\/main\.js/.exec(cmd);
  if (app) return app[1];
  if (/\bjava\b/.test(cmd) && /kafka\.Kafka/.test(cmd)) return 'kafka';
  if (/postgres/.test(cmd.split(' ')[0] ?? '') || /^postgres:/.test(cmd)) return 'postgres';
  if (/scripts\/distributed\.ts/.test(cmd)) return 'launcher';
  return 'other';
}
function tree() {
  const kids = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const st = stat(d);
    if (!st) continue;
    if (!kids.has(st.ppid)) kids.set(st.ppid, []);
    kids.get(st.ppid).push(Number(d));
  }
  const out = [...roots];
  for (let i = 0; i < out.length; i++) out.push(...(kids.get(out[i]) ?? []));
  return [...new Set(out)];
}
/** The JVM's JIT compiler threads (C1/C2 CompilerThread): the broker's warm-up, told apart from its work. */
function compilerTicks(pid) {
  let ticks = 0;
  let tasks = [];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  for (const t of tasks) {
    const s = read(`${pid}/task`, `${t}/stat`);
    if (!s || !/\(C\d CompilerThre/.test(s)) continue;
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks;
}
function sample() {
  const byPid = new Map();
  for (const pid of tree()) {
    const st = stat(pid);
    if (!st) continue;
    const r = role(pid);
    if (r !== 'kafka') {
      byPid.set(pid, { ticks: st.ticks, role: r });
      continue;
    }
    const jit = compilerTicks(pid);
    byPid.set(pid, { ticks: st.ticks - jit, role: r });
    byPid.set(`${pid}-jit`, { ticks: jit, role: 'kafka-jit' });
  }
  return { at: process.hrtime.bigint(), byPid };
}

const start = sample();
const finish = () => {
  const end = sample();
  const secs = Number(end.at - start.at) / 1e9;
  const cpu = {};
  for (const [pid, now] of end.byPid) {
    const before = start.byPid.get(pid)?.ticks ?? 0;
    cpu[now.role] = (cpu[now.role] ?? 0) + (now.ticks - before) / CLK;
  }
  // A process gone since the start: its whole life's CPU is now in its parent's cutime, of which
  // the part before the window was already spent.
  for (const [pid, then] of start.byPid) if (!end.byPid.has(pid)) cpu[then.role] = (cpu[then.role] ?? 0) - then.ticks / CLK;
  const total = Object.values(cpu).reduce((a, b) => a + b, 0);
  const r3 = (x) => Math.round(x * 1000) / 1000;
  console.log(JSON.stringify({ window_s: r3(secs), cpu_s: Object.fromEntries(Object.entries(cpu).sort().map(([k, v]) => [k, r3(v)])), total_cpu_s: r3(total), cores: r3(total / secs) }));
  process.exit(0);
};
if (seconds !== undefined) setTimeout(finish, seconds * 1000);
else {
  process.on('SIGTERM', finish);
  process.on('SIGINT', finish);
  setInterval(() => undefined, 1 << 30);
}
