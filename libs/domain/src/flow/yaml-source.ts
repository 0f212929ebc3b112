import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { FlowIssue } from './flow-validation.error.js';

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

/** `['tasks', 1, 'type']` -> `tasks[1].type`. */
export const formatPath = (path: Path): string =>
  path.length === 0
    ? '(root)'
    : path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');

/**
 * A parsed YAML document that can say where a path is in the source, so every validation
 * issue can point at a line a person can go to.
 */
export class YamlSource {
  private constructor(
    private readonly document: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  /** Parses `source`; syntax errors come back as issues with the parser's position. */
  static parse(source: string): { source: YamlSource; value: unknown } | { issues: FlowIssue[] } {
    const lineCounter = new LineCounter();
    const document = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
    if (document.errors.length > 0) {
      return {
        issues: document.errors.map((error) => {
          const { line, col } = lineCounter.linePos(error.pos[0]);
          // A repeated key: name it, as Kestra's parser does (`Duplicate field 'variables.tf'`).
          const duplicate = error.code === 'DUPLICATE_KEY' ? keyAt(source, error.pos[0]) : undefined;
          const message = duplicate !== undefined ? `Duplicate field '${duplicate}': ${error.message}` : error.message;
          return { path: '(root)', message: `malformed YAML: ${message}`, line, column: col };
        }),
      };
    }
    return { source: new YamlSource(document, lineCounter), value: document.toJS({ maxAliasCount: 100 }) };
  }

  /** The issue at `path`, positioned at the node there or, if absent, at its nearest ancestor. */
  issue(path: Path, message: string): FlowIssue {
    const position = this.positionOf(path);
    return { path: formatPath(path), message, ...position };
  }

  private positionOf(path: Path): { line?: number; column?: number } {
    for (let length = path.length; length >= 0; length--) {
      const node = length === 0 ? this.document.contents : this.document.getIn(path.slice(0, length), true);
      if (isNode(node) && node.range) {
        const { line, col } = this.lineCounter.linePos(node.range[0]);
        return { line, column: col };
      }
    }
    return {};
  }
}

/** The mapping key written at `offset` (`key:` or `"key":`), for messages. */
const keyAt = (source: string, offset: number): string | undefined => {
  const match = /^\s*(?:"([^"]*)"|'([^']*)'|([^:#\n]+?))\s*:/.exec(source.slice(offset, offset + 300));
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
};
