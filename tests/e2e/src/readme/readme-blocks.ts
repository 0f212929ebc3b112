/**
 * The README's shell blocks, as the README test runs them. A fenced block whose info string is
 * `sh`, `bash` or `shell` is a command a reader may paste, so it is run; the few that cannot run
 * here say so with an HTML comment on the line before the fence, with a reason:
 *   <!-- readme-test: skip — the reason -->
 * A block that starts Chronicle (`npm start`, `npm run start:distributed`) is a *server* block:
 * every other block runs against each server block's instance, so both modes answer the same lines.
 */
export interface ReadmeBlock {
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The nearest heading above the block. */
  readonly section: string;
  readonly code: string;
  /** Why the block is not run; undefined = it is run. */
  readonly skipReason?: string;
  readonly startsServer: boolean;
}

const SHELL_INFO = /^```(sh|bash|shell)\s*$/;
const SKIP_MARKER = /^<!--\s*readme-test:\s*skip\s*[—:-]\s*(\S.*?)\s*-->$/;
const SERVER_LINE = /^\s*npm (start|run start:distributed)\b/m;

export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^#{1,6} /.test(line)) section = line.replace(/^#+ /, '');
    if (!line.startsWith('```')) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    if (end < 0) throw new Error(`README line ${i + 1}: a code block that is never closed`);
    if (SHELL_INFO.test(line)) {
      const code = lines.slice(i + 1, end).join('\n') + '\n';
      const before = lines.slice(0, i).reverse().find((l) => l.trim() !== '') ?? '';
      if (/readme-test/.test(before) && !SKIP_MARKER.test(before.trim())) {
        throw new Error(`README line ${i}: "${before.trim()}" is not <!-- readme-test: skip — reason -->`);
      }
      blocks.push({ line: i + 1, section, code, skipReason: SKIP_MARKER.exec(before.trim())?.[1], startsServer: SERVER_LINE.test(code) });
    }
    i = end;
  }
  return blocks;
}
