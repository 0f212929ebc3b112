#!/usr/bin/env node
/**
 * `npm start` and `npm run start:<service>`: build what changed (unless --no-build), then run the
 * service's compiled main in this same process. What a new user can run into before Chronicle
 * itself starts gets one line saying what happened and what to do, never a stack trace:
 * a build step that fails, a half-built or stale tree, the HTTP port already in use.
 *   node scripts/start.mjs [standalone|gateway|scheduler|executor|projection] [--no-build]
 */
import { existsSync, realpathSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, BuildError, root, staleParts } from './build.mjs';

const SERVICES = ['standalone', 'gateway', 'scheduler', 'executor', 'projection'];
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(`usage: npm start -- [${SERVICES.join('|')}] [--no-build]
  Builds what changed (unless --no-build), then runs the service (standalone by default: one
  process with its own Postgres and an in-process bus). Settings come from the environment;
  \`npm run config:doc\` lists them all.`);
  process.exit(0);
}
const unknownFlag = args.find((a) => a.startsWith('-') && a !== '--no-build');
if (unknownFlag) {
  console.error(`chronicle: unknown option "${unknownFlag}": expected --no-build or --help`);
  process.exit(2);
}
const service = args.find((a) => !a.startsWith('--')) ?? 'standalone';
const noBuild = args.includes('--no-build');

function stop(line, code = 1) {
  console.error(`chronicle: ${line}`);
  process.exit(code);
}

if (!SERVICES.includes(service)) stop(`unknown service "${service}": expected one of ${SERVICES.join(', ')}`, 2);

if (noBuild) {
  const stale = staleParts();
  if (stale.length > 0) console.error(`chronicle: the build is older than the sources (${stale.join(', ')}), or was interrupted: run \`npm run build\` to run what you see.`);
} else {
  try {
    build();
  } catch (error) {
    if (error instanceof BuildError) stop(error.message);
    throw error;
  }
}

const main = join(root, 'apps', service, 'dist', 'main.js');
if (!existsSync(main)) stop(`${relative(root, main)} is missing (Chronicle is not built, or a build was interrupted): run \`npm run build\`.`, 2);

// The services that listen on PORT: say so plainly when it is taken (Nest would throw EADDRINUSE).
if (service === 'standalone' || service === 'gateway') {
  const port = process.env.PORT ?? '8080';
  const host = process.env.HOST ?? '127.0.0.1';
  if (/^\d+$/.test(port) && Number(port) > 0 && !(await portFree(Number(port), host))) {
    stop(`port ${port} is in use (on ${host}): set PORT=<another port> (PORT=0 picks a free one), or stop what listens there.`);
  }
}

try {
  await import(pathToFileURL(main).href);
} catch (error) {
  // A module of ours missing from dist/: an interrupted or partial build. Anything else is a real error.
  const missing = error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).match(/'([^']+)'/)?.[1];
  if (missing && (missing.startsWith(root) || missing.startsWith('@chronicle/'))) {
    stop(`the build is incomplete (${missing.startsWith(root) ? inRepository(missing) : missing} is missing): run \`npm run build -- --force\`.`, 2);
  }
  throw error;
}

/** A path as the repository names it: node_modules/@chronicle/domain/dist/x.js is libs/domain/dist/x.js. */
function inRepository(path) {
  const rel = relative(root, path);
  const link = rel.match(/^node_modules\/@chronicle\/[^/]+/)?.[0];
  return link && existsSync(join(root, link)) ? join(relative(root, realpathSync(join(root, link))), rel.slice(link.length)) : rel;
}

function portFree(port, host) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error) => resolve(error.code !== 'EADDRINUSE'));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}
