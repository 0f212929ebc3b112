import { compileRegex } from '@chronicle/domain';
import { TaskFailure } from '../runnable-task.js';

/**
 * Kestra's PathMatcherPredicate over namespace file paths (`/scripts/a.sql`): `glob:` and `regex:`
 * patterns as Java's PathMatcher reads them; a bare pattern is a glob, prefixed with `**\/` when it
 * starts with a word character (so `scripts/*.sql` matches at any depth, as in Kestra). Both run on
 * RE2 (linear in the path): a flow's `regex:(a+)+$`, or a glob of many `**`, must not stall the worker.
 */
export function pathMatcher(patterns: readonly string[]): (path: string) => boolean {
  const regexes = patterns.map((p) => {
    const glob = p.startsWith('glob:') ? p.slice('glob:'.length) : /^\w/.test(p) ? `**/${p}` : p;
    const regex = p.startsWith('regex:') ? p.slice('regex:'.length) : globToRegex(glob.replace(/\\/g, '/'));
    try {
      return compileRegex(regex, `files pattern "${p}"`);
    } catch (error) {
      throw new TaskFailure((error as Error).message, { cause: error });
    }
  });
  return (path) => regexes.some((r) => r.matches(path));
}

/** Java's glob: `**` crosses folders, `*` and `?` do not, `{a,b}` alternatives, `[...]` classes. */
export function globToRegex(glob: string): string {
  let out = '';
  let inGroup = false;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        out += '.*';
        i++;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      out += '(?:';
      inGroup = true;
    } else if (c === '}' && inGroup) {
      out += ')';
      inGroup = false;
    } else if (c === ',' && inGroup) out += '|';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = end;
      }
    } else out += c.replace(/[.+^$()|\\/]/g, '\\$&');
  }
  return out;
}
