import { describe, expect, it } from 'vitest';
import { readmeBlocks } from './readme-blocks.js';

const MD = [
  '# Title',
  '```sh',
  'npm start',
  '```',
  '## Use it',
  'text',
  '```sh',
  'npx chronicle flows deploy ./flows',
  '```',
  '```',
  'not shell: a diagram',
  '```',
  '<!-- readme-test: skip — needs the reader\'s own servers -->',
  '',
  '```bash',
  'DATABASE_URL=... npm run start:executor',
  '```',
].join('\n');

describe('readmeBlocks', () => {
  it('finds the shell blocks with their line and section, server blocks and skip reasons', () => {
    expect(readmeBlocks(MD)).toEqual([
      { line: 2, section: 'Title', code: 'npm start\n', skipReason: undefined, startsServer: true },
      { line: 7, section: 'Use it', code: 'npx chronicle flows deploy ./flows\n', skipReason: undefined, startsServer: false },
      { line: 15, section: 'Use it', code: 'DATABASE_URL=... npm run start:executor\n', skipReason: "needs the reader's own servers", startsServer: false },
    ]);
  });

  it('refuses a readme-test marker it does not understand, and a block never closed', () => {
    expect(() => readmeBlocks('<!-- readme-test: ignore -->\n```sh\nls\n```\n')).toThrow(/line 1: .* is not <!-- readme-test: skip — reason -->/);
    expect(() => readmeBlocks('```sh\nls\n')).toThrow(/line 1: a code block that is never closed/);
  });
});
