import { configTable } from '@chronicle/runtime';
import { describe, expect, it } from 'vitest';
import { readRepoFile } from './deploy-files.js';

/** The README's configuration table: the lines from its header row to the first line that is not a row. */
function readmeTable(): string {
  const lines = readRepoFile('README.md').split('\n');
  const start = lines.indexOf('| variable | meaning | default |');
  if (start < 0) throw new Error('README.md has no configuration table (a "| variable | meaning | default |" header)');
  const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

describe('the README\'s configuration table', () => {
  it('is what the configuration schema says (paste `npm run config:doc` into the README after changing a setting)', () => {
    expect(readmeTable()).toBe(configTable());
  });
});
