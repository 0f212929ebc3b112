import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Proves the boundary check bites: a small tree with the repository's layout, each package
 * breaking one rule, must be refused with every rule named. (The real tree is checked as the
 * first step of `npm test`, by the same script.)
 */
const repo = resolve(import.meta.dirname, '..', '..', '..');
let tree: string;

function pkg(dir: string, name: string, deps: Record<string, string> = {}, files: Record<string, string> = {}) {
  mkdirSync(join(tree, dir, 'src'), { recursive: true });
  writeFileSync(join(tree, dir, 'package.json'), JSON.stringify({
    name, type: 'module', dependencies: deps,
    exports: { '.': { '@chronicle/source': './src/index.ts', default: './dist/index.js' } },
  }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(tree, dir, file)), { recursive: true });
    writeFileSync(join(tree, dir, file), text);
  }
  mkdirSync(join(tree, 'node_modules', '@chronicle'), { recursive: true });
  symlinkSync(join(tree, dir), join(tree, 'node_modules', name));
}

function check(): { code: number; output: string } {
  try {
    const out = execFileSync('node', ['--import', 'tsx', join(repo, 'scripts', 'check-boundaries.ts'), '--root', tree], {
      cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { code: 0, output: out };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, output: `${e.stdout}${e.stderr}` };
  }
}

beforeAll(() => {
  tree = mkdtempSync(join(tmpdir(), 'chronicle-boundaries-'));
  writeFileSync(join(tree, 'package.json'), JSON.stringify({ name: 'fixture', private: true }));
  writeFileSync(join(tree, 'tsconfig.base.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }));
  mkdirSync(join(tree, 'node_modules'));
  symlinkSync(join(repo, 'node_modules', 'yaml'), join(tree, 'node_modules', 'yaml'));
  pkg('libs/domain', '@chronicle/domain', { yaml: '1' }, {
    'src/index.ts': "export * from './a.js';\nimport { parse } from 'yaml';\nexport const p = parse;\n",
    'src/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
    'src/b.ts': "import { a } from './a.js';\nimport { readFileSync } from 'node:fs';\nimport { fixture } from '@chronicle/testing';\nexport const b = () => [a, readFileSync, fixture];\n",
  });
  pkg('libs/testing', '@chronicle/testing', {}, { 'src/index.ts': 'export const fixture = 1;\n' });
  pkg('libs/errors', '@chronicle/errors', { '@chronicle/testing': '0.1.0' }, {
    'src/index.ts': "import { fixture } from '@chronicle/testing';\nexport const code = fixture;\n",
  });
  pkg('libs/event-store', '@chronicle/event-store', {}, {
    'src/index.ts': 'export const port = 1;\n',
    'src/postgres/postgres-event-store.ts': 'export const adapter = 1;\n',
  });
  pkg('libs/read-model', '@chronicle/read-model', {}, {
    'src/index.ts': "import { adapter } from '../../event-store/src/postgres/postgres-event-store.js';\nexport const model = adapter;\n",
  });
  pkg('libs/runtime', '@chronicle/runtime', { '@chronicle/gateway': '0.1.0' }, {
    'src/index.ts': "import { gateway } from '@chronicle/gateway';\nexport const runtime = gateway;\n",
  });
  pkg('apps/gateway', '@chronicle/gateway', { '@chronicle/executor': '0.1.0', '@chronicle/domain': '0.1.0' }, {
    'src/index.ts': "import { executor } from '@chronicle/executor';\nexport const gateway = executor;\n",
  });
  pkg('apps/executor', '@chronicle/executor', {}, {
    'src/index.ts': "import { p } from '@chronicle/domain';\nexport const executor = p;\n",
  });
  // The layout of docs/architecture.md: use cases, contracts, stores, composition, dev infra.
  pkg('libs/contracts', '@chronicle/contracts', { '@chronicle/use-cases': '0.1.0' }, {
    'src/index.ts': "import { useCase } from '@chronicle/use-cases';\nexport const message = useCase;\n",
  });
  pkg('libs/use-cases', '@chronicle/use-cases', { '@chronicle/stores': '0.1.0' }, {
    'src/index.ts': "import { store } from '@chronicle/stores';\nexport const useCase = store;\n",
  });
  pkg('libs/stores', '@chronicle/stores', { '@chronicle/composition': '0.1.0' }, {
    'src/index.ts': "import { platform } from '@chronicle/composition';\nexport const store = platform;\n",
  });
  pkg('libs/composition', '@chronicle/composition', {}, { 'src/index.ts': 'export const platform = 1;\n' });
  // A task runner that reaches a store itself instead of through the TaskServices port it is given.
  pkg('libs/tasks', '@chronicle/tasks', { '@chronicle/stores': '0.1.0' }, {
    'src/index.ts': "import { store } from '@chronicle/stores';\nexport const runner = store;\n",
  });
  pkg('libs/dev-infra', '@chronicle/dev-infra', {}, { 'src/index.ts': 'export const startPostgres = 1;\n' });
  pkg('apps/scheduler', '@chronicle/scheduler', { '@chronicle/dev-infra': '0.1.0', '@chronicle/stores': '0.1.0' }, {
    'src/index.ts': "import { startPostgres } from '@chronicle/dev-infra';\nexport const scheduler = startPostgres;\n",
    'src/triggers.controller.ts': "import { store } from '@chronicle/stores';\nexport const controller = store;\n",
  });
});

afterAll(() => rmSync(tree, { recursive: true, force: true }));

let checked: { code: number; output: string } | undefined;
const result = () => (checked ??= check());

describe('the boundary check', () => {
  it('refuses a tree that breaks each rule, naming every rule and package', () => {
    const { code, output } = result();
    expect(code).toBe(1);
    expect(output).toMatch(/no-circular: libs\/domain\/src\/a\.ts -> libs\/domain\/src\/b\.ts -> libs\/domain\/src\/a\.ts/);
    expect(output).toMatch(/domain-is-pure: libs\/domain\/src\/b\.ts -> libs\/testing\/src\/index\.ts/);
    expect(output).toMatch(/errors-is-a-leaf: libs\/errors\/src\/index\.ts -> libs\/testing\/src\/index\.ts/);
    expect(output).toMatch(/domain-no-io-builtins: libs\/domain\/src\/b\.ts -> fs/);
    expect(output).toMatch(/source-never-imports-test-kits: libs\/domain\/src\/b\.ts -> libs\/testing\/src\/index\.ts/);
    expect(output).toMatch(/libs-never-import-apps: libs\/runtime\/src\/index\.ts -> apps\/gateway\/src\/index\.ts/);
    expect(output).toMatch(/apps-do-not-import-apps: apps\/gateway\/src\/index\.ts -> apps\/executor\/src\/index\.ts/);
    expect(output).toMatch(/read-model-uses-the-event-store-port-only: libs\/read-model\/src\/index\.ts -> libs\/event-store\/src\/postgres\/postgres-event-store\.ts/);
    expect(output).toMatch(/apps\/executor: imports "@chronicle\/domain" in production code but does not list it in dependencies/);
    expect(output).toMatch(/apps\/gateway: declares "@chronicle\/domain" in dependencies but never imports it/);
    expect(output).toMatch(/libs\/domain: imports "@chronicle\/testing" in production code/);
  });

  it('refuses an import against the layout: adapters in a use case, the composition in a store, a store in a controller, dev infra in a service, a store in a task runner', () => {
    const { code, output } = result();
    expect(code).toBe(1);
    expect(output).toMatch(/use-cases-import-no-adapter: libs\/use-cases\/src\/index\.ts -> libs\/stores\/src\/index\.ts/);
    expect(output).toMatch(/contracts-import-no-use-case: libs\/contracts\/src\/index\.ts -> libs\/use-cases\/src\/index\.ts/);
    expect(output).toMatch(/stores-never-import-composition: libs\/stores\/src\/index\.ts -> libs\/composition\/src\/index\.ts/);
    expect(output).toMatch(/only-composition-and-apps-import-stores: libs\/use-cases\/src\/index\.ts -> libs\/stores\/src\/index\.ts/);
    expect(output).toMatch(/controllers-and-resolvers-build-no-store: apps\/scheduler\/src\/triggers\.controller\.ts -> libs\/stores\/src\/index\.ts/);
    expect(output).toMatch(/production-code-never-loads-dev-infra: apps\/scheduler\/src\/index\.ts -> libs\/dev-infra\/src\/index\.ts/);
    expect(output).toMatch(/tasks-reach-io-through-ports-only: libs\/tasks\/src\/index\.ts -> libs\/stores\/src\/index\.ts/);
  });
});
