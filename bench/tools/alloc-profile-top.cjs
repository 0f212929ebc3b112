// Reads a sampling heap profile of the standalone under load (bench/tools/alloc-probe.cjs with
// ALLOC_PROFILE_DIR: collected objects kept, so it is what was allocated, not what stayed) and lists
// where the bytes were allocated:
//   node bench/tools/alloc-profile-top.cjs FILE [self|total] [N=30] [EXECUTIONS]
// self:  bytes by the function that allocated them; total: bytes under each function (its callees
// included, counted once per stack). With EXECUTIONS, also KB per execution.
const fs = require('node:fs');
const [file, mode = 'self', nArg = '30', execArg] = process.argv.slice(2);
const { head } = JSON.parse(fs.readFileSync(file, 'utf8'));
const name = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^.*node_modules\//, 'nm/').replace(/^.*\/(apps|libs)\//, '$1/').replace(/^file:\/\//, '')}:${n.callFrame.lineNumber + 1}`;
const m = new Map();
let all = 0;
const walk = (node, stack) => {
  const k = name(node);
  const self = node.selfSize;
  all += self;
  if (mode === 'self') m.set(k, (m.get(k) ?? 0) + self);
  const here = new Set(stack).add(k);
  if (mode !== 'self' && self) for (const f of here) m.set(f, (m.get(f) ?? 0) + self);
  for (const c of node.children) walk(c, here);
};
walk(head, new Set());
const executions = Number(execArg) || 0;
console.log(`sampled ${(all / 1e6).toFixed(1)} MB${executions ? `, ${(all / 1024 / executions).toFixed(1)} KB per execution` : ''}`);
for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(nArg)))
  console.log(`${(v / 1e6).toFixed(1).padStart(8)} MB ${((100 * v) / all).toFixed(1).padStart(5)}%${executions ? ` ${(v / 1024 / executions).toFixed(1).padStart(6)} KB/ex` : ''}  ${k}`);
