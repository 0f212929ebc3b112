#!/usr/bin/env node
/**
 * `npm run build` (and the first step of `npm start`): builds only what changed.
 * - TypeScript: `tsc -b tsconfig.build.json`, incremental per package (each keeps dist/.tsbuildinfo),
 *   so a changed file rebuilds only its package and the packages that depend on it. Even a no-op
 *   `tsc -b` costs about a second (it loads the compiler), so a fingerprint of the inputs' sizes and
 *   times, and of every package's .tsbuildinfo, taken after the last successful build lets an
 *   unchanged tree skip it.
 * - The UI bundle (apps/ui/dist, ~25 s to type-check and bundle): rebuilt only when the hash of its
 *   input files differs from the one written next to the bundle after the last complete build. vite
 *   empties dist/ first, so an interrupted UI build leaves no hash and is built again.
 * Plain JavaScript, not tsx: it runs before anything is built, on every `npm start`.
 *   node scripts/build.mjs [--force]   (--force: everything again, e.g. after files were deleted from a dist/)
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
const ui = join(root, 'apps', 'ui');
const uiHashFile = join(ui, 'dist', '.inputs-hash');
const tsFingerprintFile = join(root, 'node_modules', '.cache', 'chronicle', 'ts-build-fingerprint');
// What the bundle is made of (the example flows too: the first-run panel deploys them); e2e/ and
// screenshots/ are not.
const UI_INPUTS = [...['src', 'index.html', 'vite.config.ts', 'tsconfig.json', 'package.json', 'public'].map((p) => join(ui, p)), join(root, 'flows')];

const require = createRequire(import.meta.url);
const bin = (pkg, path) => join(require.resolve(`${pkg}/package.json`, { paths: [root] }), '..', path);

export class BuildError extends Error {}

function run(args, cwd, what) {
  const result = spawnSync(process.execPath, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) throw new BuildError(`${what} failed (see above): fix it, then run the command again.`);
}

function files(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).sort().flatMap((name) => files(join(path, name)));
}

/** The TypeScript packages `tsc -b tsconfig.build.json` builds, from its references. */
export function tsPackages() {
  return JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')).references.map((r) => join(root, r.path));
}

/** Size and mtime of every TypeScript input, and of each package's .tsbuildinfo (missing = never built). */
function tsFingerprint() {
  const hash = createHash('sha256');
  const stat = (file) => {
    const s = existsSync(file) ? statSync(file) : undefined;
    hash.update(`${relative(root, file)}:${s ? `${s.size}:${s.mtimeMs}` : 'missing'}\n`);
  };
  for (const file of ['tsconfig.base.json', 'tsconfig.build.json', 'package-lock.json']) stat(join(root, file));
  for (const pkg of tsPackages()) {
    for (const file of [join(pkg, 'tsconfig.json'), join(pkg, 'package.json'), ...files(join(pkg, 'src'))]) stat(file);
    stat(join(pkg, 'dist', '.tsbuildinfo'));
  }
  return hash.digest('hex');
}

/** sha256 over the UI's input files (names and contents) and the lockfile (its dependency versions). */
function uiInputsHash() {
  const hash = createHash('sha256');
  for (const file of [...UI_INPUTS.flatMap((input) => files(input)), join(root, 'package-lock.json')]) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

const read = (file) => (existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined);

/** What is out of date, without building anything (cheap: stats and one hash). */
export function staleParts() {
  const stale = [];
  if (read(tsFingerprintFile) !== tsFingerprint()) stale.push('typescript');
  if (read(uiHashFile) !== uiInputsHash()) stale.push('ui');
  return stale;
}

/** Builds what changed; throws BuildError (its message is one line) when a step fails. */
export function build({ force = false, log = console.log } = {}) {
  const started = performance.now();
  const stale = force ? ['typescript', 'ui'] : staleParts();
  if (stale.includes('typescript')) {
    run([bin('typescript', 'bin/tsc'), '-b', 'tsconfig.build.json', ...(force ? ['--force'] : [])], root, 'the TypeScript build (tsc -b tsconfig.build.json)');
    mkdirSync(dirname(tsFingerprintFile), { recursive: true });
    writeFileSync(tsFingerprintFile, tsFingerprint() + '\n');
  }
  if (stale.includes('ui')) {
    log(force || !existsSync(join(ui, 'dist')) ? 'chronicle: building the UI bundle (later starts reuse it)…' : 'chronicle: the UI sources changed, rebuilding the UI bundle…');
    const wanted = uiInputsHash();
    run([bin('typescript', 'bin/tsc'), '-p', 'tsconfig.json'], ui, 'the UI type-check (apps/ui: tsc -p tsconfig.json)');
    run([bin('vite', 'bin/vite.js'), 'build', '--logLevel', 'warn'], ui, 'the UI bundle (apps/ui: vite build)');
    writeFileSync(uiHashFile, wanted + '\n');
  }
  if (stale.length > 0) log(`chronicle: built (${stale.join(', ')}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log('usage: npm run build [-- --force]\n  Builds what changed since the last build (TypeScript, then the UI bundle); --force builds everything.');
    process.exit(0);
  }
  try {
    build({ force: process.argv.includes('--force') });
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    console.error(`chronicle: ${error.message}`);
    process.exit(1);
  }
}
