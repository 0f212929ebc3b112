import { parseDocument } from 'yaml';

export interface SourceProblem { line?: number; message: string }

/** Reads a flow's YAML in the browser for drawing only (the server's deploy is the real check). */
export function parseFlowSource(source: string): { flow?: Record<string, unknown>; problems: SourceProblem[] } {
  const doc = parseDocument(source);
  if (doc.errors.length) return { problems: doc.errors.map((e) => ({ line: e.linePos?.[0]?.line, message: (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '') })) };
  const value: unknown = doc.toJS();
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { problems: [{ line: 1, message: 'a flow is a YAML mapping with id, namespace and tasks' }] };
  const flow = value as Record<string, unknown>;
  if (!Array.isArray(flow.tasks)) return { problems: [{ message: 'the flow has no `tasks` list' }] };
  const bad = (flow.tasks as unknown[]).findIndex((t) => !t || typeof t !== 'object' || typeof (t as { type?: unknown }).type !== 'string');
  if (bad >= 0) return { problems: [{ message: `tasks[${bad}] needs an id and a type` }] };
  return { flow, problems: [] };
}
