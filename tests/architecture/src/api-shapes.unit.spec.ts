import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The web UI and the CLI read the API's shapes from the SDK's types generated from
 * schema.graphql (issue 16, issue 17 item 4): no hand-written copy of a GraphQL object type.
 */
const repo = resolve(import.meta.dirname, '..', '..', '..');
const generated = readFileSync(join(repo, 'libs/client/src/generated/graphql.ts'), 'utf8');
/** The schema's object types (`export type Execution = {`), without the argument types. */
const schemaTypes = [...generated.matchAll(/^export type (\w+) = \{/gm)].map((m) => m[1]!).filter((name) => !/Args$|^Scalars$|^Query$|^Mutation$|^Subscription$/.test(name));

function sources(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...(name === 'node_modules' || name === 'dist' ? [] : sources(path)));
    else if (/\.tsx?$/.test(name) && !/\.spec\.tsx?$/.test(name)) found.push(path);
  }
  return found;
}

describe('the UI and the CLI use the generated API types', () => {
  it('knows the schema\'s object types', () => {
    expect(schemaTypes).toEqual(expect.arrayContaining(['Execution', 'TaskRun', 'Flow', 'LogEntry', 'DeadLetter', 'ProjectionStatus', 'Trigger']));
  });

  it('declares none of them again by hand in apps/ui or apps/cli', () => {
    const copies: string[] = [];
    for (const file of [...sources(join(repo, 'apps/ui/src')), ...sources(join(repo, 'apps/cli/src'))]) {
      const text = readFileSync(file, 'utf8');
      for (const name of schemaTypes) {
        if (new RegExp(`\\b(interface ${name}\\b|type ${name} = \\{)`).test(text)) copies.push(`${relative(repo, file)}: ${name}`);
      }
    }
    expect(copies).toEqual([]);
  });

  it('takes the shapes the UI and the CLI read from @chronicle/client', () => {
    const shapeModules = ['apps/ui/src/api/types.ts', 'apps/cli/src/commands/execution-view.ts', 'apps/cli/src/history-format.ts', 'apps/cli/src/commands/dlq.command.ts', 'apps/cli/src/commands/projections.command.ts'];
    for (const file of shapeModules) {
      const text = readFileSync(join(repo, file), 'utf8');
      expect(text, file).toMatch(/from '@chronicle\/client(\/graphql)?'/);
      // An object shape spelled out field by field (an interface with an `id` and a `state`) is a copy.
      expect(text, file).not.toMatch(/interface \w+ \{[^}]*\bid: string;[^}]*\bstate: /s);
    }
  });
});
