import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * docs/architecture.md is the map a newcomer reads (issue 17): it must stay true to the tree. It
 * names every package of apps/ and libs/ and no other, every rule of the boundary check, every
 * port of libs/use-cases that has a token, and says where a new task type, bus message and API
 * field go.
 */
const repo = resolve(import.meta.dirname, '..', '..', '..');
const doc = readFileSync(join(repo, 'docs/architecture.md'), 'utf8');

const packages = ['apps', 'libs'].flatMap((group) =>
  readdirSync(join(repo, group)).filter((name) => existsSync(join(repo, group, name, 'package.json'))).map((name) => `${group}/${name}`));

describe('docs/architecture.md', () => {
  it('names every package of apps/ and libs/', () => {
    const named = (dir: string) => {
      const [group, name] = dir.split('/');
      // The picture names the apps by their folder name on the apps/ line; the libraries as libs/<name>.
      return group === 'libs' ? doc.includes(`libs/${name}`) : doc.includes(`apps/${name}`) || new RegExp(`\\b${name}\\b`).test(doc.split('\n').find((l) => l.trimStart().startsWith('apps/')) ?? '');
    };
    expect(packages.length).toBeGreaterThan(10);
    expect(packages.filter((dir) => !named(dir))).toEqual([]);
  });

  it('names no package that does not exist', () => {
    const mentioned = new Set([...doc.matchAll(/\b(apps|libs)\/([a-z][a-z-]*)\b/g)].map((m) => `${m[1]}/${m[2]}`));
    expect([...mentioned].filter((dir) => !packages.includes(dir))).toEqual([]);
  });

  it('lists every rule of the boundary check', () => {
    const config = readFileSync(join(repo, '.dependency-cruiser.cjs'), 'utf8');
    const rules = [...config.matchAll(/^\s*name: '([a-z-]+)'/gm)].map((m) => m[1]!);
    expect(rules.length).toBeGreaterThan(10);
    expect(rules.filter((rule) => !doc.includes(`\`${rule}\``))).toEqual([]);
  });

  it('names every port that has an injection token', () => {
    const tokens = readFileSync(join(repo, 'libs/composition/src/port-tokens.ts'), 'utf8');
    const portFiles = readdirSync(join(repo, 'libs/use-cases/src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.port.ts'));
    const declared = new Set(portFiles.flatMap((f) => [...readFileSync(join(repo, 'libs/use-cases/src', f), 'utf8').matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]!)));
    const ports = [...tokens.matchAll(/^\/\*\* `(\w+)`/gm)].map((m) => m[1]!).filter((name) => declared.has(name));
    expect(ports.length).toBeGreaterThan(8);
    expect(ports.filter((port) => !doc.includes(`\`${port}\``))).toEqual([]);
  });

  it('says in a paragraph each where a new task type, a new bus message and a new API field go', () => {
    for (const heading of ['**A new task type.**', '**A new bus message.**', '**A new API field.**']) expect(doc).toContain(heading);
  });

  it('sends a new task type to places that exist: every folder and file its paragraph names', () => {
    const start = doc.indexOf('**A new task type.**');
    const paragraph = doc.slice(start, doc.indexOf('**A new', start + 1));
    // Paths are named from the repository root; a bare file name is one of the two task-type folders'.
    const named = [...paragraph.matchAll(/`([\w./<> -]+\.ts|(?:libs|apps)\/[\w./<> -]+)`/g)].map((m) => m[1]!.replace(/<[^>]+>\/?$/, ''));
    const folders = ['libs/domain/src/task-types', 'libs/tasks/src'];
    const exists = (path: string) => (path.includes('/') ? existsSync(join(repo, path)) : folders.some((folder) => existsSync(join(repo, folder, path))));
    expect(named.length).toBeGreaterThan(8);
    expect(named.filter((path) => !exists(path))).toEqual([]);
  });
});
