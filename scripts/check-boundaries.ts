/**
 * `npm run check:boundaries` (and the first step of `npm test`): the import rules of
 * .dependency-cruiser.cjs (docs/architecture.md draws them) and "declared dependencies equal
 * used ones" for every workspace package. Exits 1 with one line per violation.
 * `--root DIR` checks another tree with the same layout (the test that proves the rules bite).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkDeclaredDependencies, readWorkspaces, type CruisedModule } from './boundaries/declared-dependencies.ts';

const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log('usage: check-boundaries [--root DIR]   checks import rules and declared dependencies');
  process.exit(0);
}
const rootIndex = args.indexOf('--root');
const root = resolve(rootIndex >= 0 ? args[rootIndex + 1]! : process.cwd());
const config = resolve(import.meta.dirname, '..', '.dependency-cruiser.cjs');
const depcruise = resolve(import.meta.dirname, '..', 'node_modules', '.bin', 'depcruise');

const workspaceDirs = ['apps', 'libs', 'tests']
  .filter((group) => existsSync(join(root, group)))
  .flatMap((group) => readdirSync(join(root, group)).map((name) => `${group}/${name}`))
  .filter((dir) => existsSync(join(root, dir, 'package.json')));
const targets = ['apps', 'libs', 'tests', 'scripts', 'bench'].filter((dir) => existsSync(join(root, dir)));

let output: string;
try {
  output = execFileSync(depcruise, [...targets, '--config', config, '--output-type', 'json'], {
    cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'],
  });
} catch (error) {
  // depcruise exits non-zero when rules are violated; its JSON is still on stdout.
  output = (error as { stdout?: string }).stdout ?? '';
  if (!output) throw error;
}
const result = JSON.parse(output) as {
  modules: CruisedModule[];
  summary: { violations: { rule: { name: string }; from: string; to: string; cycle?: { name: string }[] }[] };
};

const problems = result.summary.violations.map((v) =>
  v.cycle ? `${v.rule.name}: ${[v.from, ...v.cycle.map((c) => c.name)].join(' -> ')}` : `${v.rule.name}: ${v.from} -> ${v.to}`);
const workspaces = readWorkspaces(root, workspaceDirs);
const [rootWorkspace] = readWorkspaces(root, ['.']);
problems.push(...checkDeclaredDependencies(result.modules, workspaces, { ...rootWorkspace!, dir: '.' }));

if (problems.length > 0) {
  for (const problem of problems) console.error(`boundary: ${problem}`);
  console.error(`${problems.length} boundary violation(s): see docs/architecture.md for the allowed arrows`);
  process.exit(1);
}
console.log(`boundaries: ${result.modules.filter((m) => !m.source.includes('node_modules/')).length} modules and ${workspaces.length} packages checked, no violation`);
