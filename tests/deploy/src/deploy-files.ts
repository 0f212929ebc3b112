import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

/** The repository root (tests/deploy/src -> ../../..). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export const repoPath = (...parts: string[]) => join(repoRoot, ...parts);
export const repoFileExists = (...parts: string[]) => existsSync(repoPath(...parts));
export const readRepoFile = (...parts: string[]) => readFileSync(repoPath(...parts), 'utf8');

/** One YAML document; `<<` merge keys resolved as Compose resolves them. */
export function readYaml<T = unknown>(...parts: string[]): T {
  return parse(readRepoFile(...parts), { merge: true }) as T;
}

export interface YamlDocument {
  readonly file: string;
  readonly index: number;
  readonly value: Record<string, any>;
}

/** Every document of every .yaml file in a folder; a YAML error fails with the file named. */
export function readYamlFolder(...parts: string[]): YamlDocument[] {
  const folder = repoPath(...parts);
  return readdirSync(folder)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(folder, file), 'utf8')).map((doc, index) => {
        if (doc.errors.length > 0) throw new Error(`${file} document ${index}: ${doc.errors.map((e) => e.message).join('; ')}`);
        return { file, index, value: doc.toJS() as Record<string, any> };
      }),
    );
}

/** `FROM … AS <target>` names of deploy/Dockerfile. */
export function dockerfileTargets(): string[] {
  return [...readRepoFile('deploy', 'Dockerfile').matchAll(/^FROM\s+\S+\s+AS\s+(\S+)\s*$/gim)].map((m) => m[1]);
}
