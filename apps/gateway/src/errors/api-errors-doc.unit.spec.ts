import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@chronicle/errors';
import { API_ERROR_OF, API_REASONS } from './api-error-codes.js';
import { API_ERROR_STATUS, type ApiErrorCode } from './api-errors.js';

const DOC = resolve(import.meta.dirname, '../../../../docs/api-errors.md');

/** The rows of the markdown table under `## <heading>`, as cells without their backquotes. */
function tableUnder(markdown: string, heading: string): string[][] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith(heading));
  if (!section) throw new Error(`docs/api-errors.md has no "## ${heading}" section`);
  return section
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[-| ]+\|$/.test(line))
    .slice(1)
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim().replace(/^`(.*)`$/, '$1')));
}

describe('docs/api-errors.md', () => {
  const markdown = readFileSync(DOC, 'utf8');

  it('lists every category the API answers with, with its HTTP status, and no other', () => {
    const rows = tableUnder(markdown, 'Categories');
    const documented = Object.fromEntries(rows.map(([code, status]) => [code, Number(status)]));
    expect(documented).toEqual({ ...API_ERROR_STATUS });
  });

  it('lists every reason the API can answer with, with its category and status, and no other', () => {
    const rows = tableUnder(markdown, 'Reasons');
    for (const [reason, , , meaning] of rows) expect(meaning, `${reason} needs a meaning`).toMatch(/\w{3}/);
    const documented = Object.fromEntries(rows.map(([reason, code, status]) => [reason, `${code} ${status}`]));
    const mapped = Object.fromEntries(API_REASONS.map((reason) => {
      const code: ApiErrorCode = API_ERROR_OF[reason];
      return [reason, `${code} ${API_ERROR_STATUS[code]}`];
    }));
    expect(documented).toEqual(mapped);
    expect(rows.length, 'a reason is listed twice').toBe(API_REASONS.length);
  });

  it('maps every Chronicle code (the compiler checks it too) and hides only server faults', () => {
    expect(Object.keys(API_ERROR_OF).sort()).toEqual([...ERROR_CODES].sort());
    const hidden = ERROR_CODES.filter((code) => !API_REASONS.includes(code));
    for (const code of hidden) expect(API_ERROR_OF[code], code).toBe('INTERNAL_SERVER_ERROR');
    expect(hidden).not.toContain('EXECUTION_NOT_FOUND');
  });
});
