/**
 * "Declared dependencies equal used ones": compares what each workspace package imports (from the
 * dependency-cruiser result) with what its package.json declares.
 * - production code's imports must be in `dependencies`;
 * - test code's imports in `dependencies` or `devDependencies` (or the root's devDependencies,
 *   which hold the workspace-wide tools: vitest, typescript, tsx);
 * - every declared package must be imported by code that may use it, unless it is listed in
 *   RUNTIME_ONLY with the reason it is never imported by name.
 * The package graph (dependencies and devDependencies between @chronicle packages) must be acyclic.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CruisedModule {
  readonly source: string;
  readonly dependencies: readonly { readonly module: string; readonly resolved: string; readonly dependencyTypes: readonly string[] }[];
}

export interface Workspace {
  readonly dir: string;
  readonly name: string;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
  /** A browser bundle: everything is bundled at build time, so devDependencies serve production code too. */
  readonly bundled: boolean;
}

/** Declared packages that no code imports by name, each with the reason it is needed. */
export const RUNTIME_ONLY: Readonly<Record<string, string>> = {
  '@jitl/quickjs-wasmfile-release-sync': 'the QuickJS WebAssembly build quickjs-emscripten loads',
  '@as-integrations/express5': 'Apollo 5 on Express 5 fails to start without it (@nestjs/apollo loads it)',
  '@apollo/server': 'loaded by @nestjs/apollo, the GraphQL driver',
  'reflect-metadata': 'NestJS decorators need its global Reflect polyfill, imported once by each entry point',
  pg: 'the Postgres driver TypeORM loads by name',
  rxjs: 'a peer dependency of @nestjs/common and @nestjs/core',
  '@nestjs/platform-express': 'the HTTP adapter NestFactory loads by name',
  'graphql-ws': 'the subscription server @nestjs/graphql loads for `graphql-ws: true`',
  ws: 'the WebSocket server graphql-ws runs on',
  'graphql-subscriptions': 'a peer dependency of @nestjs/graphql',
  'quickjs-emscripten': 'loaded inside the Script sandbox worker thread, whose source is a string',
  'quickjs-emscripten-core': 'loaded inside the Script sandbox worker thread, whose source is a string',
  dclint: 'tests/deploy reads the Compose Specification schema file it ships (resolved, not imported)',
};

export const TEST_CODE = /(\.spec\.tsx?$|\/test-support\/|\/e2e\/|^libs\/testing\/|^libs\/domain\/src\/testing\/|^tests\/|^bench\/|^scripts\/|^libs\/[^/]+\/scripts\/|vite(st)?\.config\.ts$)/;

/** Test kits and test projects: all their code is test code, their dependencies serve tests. */
const isTestPackage = (w: Workspace) => w.dir.startsWith('tests/') || w.dir === 'libs/testing';

export function packageOfSpecifier(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

export function readWorkspaces(root: string, dirs: readonly string[]): Workspace[] {
  return dirs.map((dir) => {
    const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    return {
      dir,
      name: manifest.name,
      dependencies: manifest.dependencies ?? {},
      devDependencies: manifest.devDependencies ?? {},
      bundled: Boolean(manifest.chronicle?.bundled),
    };
  });
}

export function checkDeclaredDependencies(
  modules: readonly CruisedModule[],
  workspaces: readonly Workspace[],
  root: Workspace,
): string[] {
  const ownerOf = (path: string): Workspace => workspaces.find((w) => path.startsWith(`${w.dir}/`)) ?? root;
  const used = new Map<Workspace, { production: Set<string>; test: Set<string> }>();
  for (const w of [...workspaces, root]) used.set(w, { production: new Set(), test: new Set() });

  for (const module of modules) {
    if (module.source.includes('node_modules/')) continue;
    const owner = ownerOf(module.source);
    const isTest = isTestPackage(owner) || TEST_CODE.test(module.source);
    for (const dependency of module.dependencies) {
      if (dependency.dependencyTypes.includes('core')) continue;
      let name: string | undefined;
      if (dependency.resolved.includes('node_modules/')) name = packageOfSpecifier(dependency.module);
      else {
        const target = ownerOf(dependency.resolved);
        if (target !== owner && target !== root) name = target.name;
      }
      if (!name) continue;
      const bucket = used.get(owner)!;
      (isTest ? bucket.test : bucket.production).add(name);
    }
  }

  const problems: string[] = [];
  for (const [workspace, { production, test }] of used) {
    if (workspace === root) continue;
    const declared = (name: string, where: Readonly<Record<string, string>>) =>
      name in where || `@types/${name.replace('@', '').replace('/', '__')}` in where;
    const prodDeclared = workspace.bundled ? { ...workspace.dependencies, ...workspace.devDependencies } : workspace.dependencies;
    for (const name of production) {
      if (!declared(name, prodDeclared)) problems.push(`${workspace.dir}: imports "${name}" in production code but does not list it in dependencies`);
    }
    for (const name of test) {
      if (!declared(name, { ...workspace.dependencies, ...workspace.devDependencies, ...root.devDependencies })) {
        problems.push(`${workspace.dir}: its tests import "${name}" but package.json declares it nowhere`);
      }
    }
    const importedAs = (name: string, set: Set<string>) =>
      set.has(name) || (name.startsWith('@types/') && [...set].some((used) => `@types/${used.replace('@', '').replace('/', '__')}` === name));
    for (const name of Object.keys(workspace.dependencies)) {
      if (name in RUNTIME_ONLY) continue;
      if (!importedAs(name, production) && !(isTestPackage(workspace) && importedAs(name, test))) {
        problems.push(importedAs(name, test)
          ? `${workspace.dir}: "${name}" is used only by tests: move it to devDependencies`
          : `${workspace.dir}: declares "${name}" in dependencies but never imports it`);
      }
    }
    for (const name of Object.keys(workspace.devDependencies)) {
      if (name in RUNTIME_ONLY) continue;
      if (!importedAs(name, test) && !importedAs(name, production)) problems.push(`${workspace.dir}: declares "${name}" in devDependencies but never imports it`);
    }
  }
  return [...problems, ...packageCycles(workspaces)];
}

/** Cycles in the graph of @chronicle packages as their manifests declare them. */
export function packageCycles(workspaces: readonly Workspace[]): string[] {
  const byName = new Map(workspaces.map((w) => [w.name, w]));
  const edges = (w: Workspace) => Object.keys({ ...w.dependencies, ...w.devDependencies }).filter((n) => byName.has(n));
  const problems: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      problems.push(`package cycle: ${[...path.slice(path.indexOf(name)), name].join(' -> ')}`);
      return;
    }
    state.set(name, 'visiting');
    for (const next of edges(byName.get(name)!)) visit(next, [...path, name]);
    state.set(name, 'done');
  };
  for (const w of workspaces) visit(w.name, []);
  return problems;
}
