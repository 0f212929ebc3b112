#!/usr/bin/env node
// Top items of a V8 CPU profile (`node --cpu-prof`), not a test: self time by function and
// inclusive time by package or source folder, as shares of the non-idle samples.
//   node bench/tools/profile-top.mjs FILE.cpuprofile [TOP=30] [--from-ms=N] [--to-ms=N]
// --from-ms / --to-ms keep the samples in that window (ms since the profile began): the load only,
// without the start-up.
import fs from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
const top = Number(args.find((a) => /^\d+$/.test(a)) ?? 30);
const opt = (name) => { const a = args.find((x) => x.startsWith(`--${name}=`)); return a === undefined ? undefined : Number(a.split('=')[1]); };
const from = opt('from-ms') ?? 0;
const to = opt('to-ms') ?? Infinity;
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const counts = new Map();
let t = 0;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i] / 1000;
  if (t < from || t > to) continue;
  counts.set(profile.samples[i], (counts.get(profile.samples[i]) ?? 0) + 1);
}
const where = (n) => {
  const url = n.callFrame.url.replace(/^file:\/\//, '');
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url) ?? /\/((?:apps|libs)\/[^/]+)\//.exec(url);
  return m ? m[1] : url ? url.split('/').slice(-2).join('/') : `(${n.callFrame.functionName || 'native'})`;
};
const self = new Map();
const inclusive = new Map();
let total = 0;
for (const [id, c] of counts) {
  const n = nodes.get(id);
  const name = n.callFrame.functionName || '(anonymous)';
  if (name === '(idle)') continue;
  total += c;
  const key = `${name} ${where(n)}:${n.callFrame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + c);
  const seen = new Set();
  for (let p = id; p !== undefined; p = parent.get(p)) {
    const w = where(nodes.get(p));
    if (!seen.has(w)) { seen.add(w); inclusive.set(w, (inclusive.get(w) ?? 0) + c); }
  }
}
const pct = (c) => `${((c / total) * 100).toFixed(1)}%`;
console.log(`non-idle samples: ${total} (interval ${(profile.timeDeltas.reduce((a, b) => a + b, 0) / profile.samples.length / 1000).toFixed(2)} ms)`);
console.log('\nself, by function:');
for (const [k, c] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(c).padStart(6)}  ${k}`);
console.log('\ninclusive, by package or folder:');
for (const [k, c] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(c).padStart(6)}  ${k}`);
