import { TERMINAL_STATES, type ChronicleApi, type ObservedExecution } from './chronicle-api.js';
import type { CorpusCase } from './corpus.js';
import { checkExpectations, type AssertionFailure } from './expectations.js';
import type { RelatedExpectation } from './kestra-source.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Listed {
  readonly id: string;
  readonly state: string;
  readonly parentId?: string | null;
  readonly originalId?: string | null;
  readonly trigger?: { variables?: Record<string, unknown> } | null;
}

/**
 * The executions of another flow that belong to the case: Subflow/ForEachItem children (parentId),
 * Flow-trigger listeners (trigger.variables.executionId), or the case's own chain of
 * CREATE_NEW_EXECUTION retries (the same flow). Kestra's tests watch the execution queue for them.
 */
async function list(api: ChronicleApi, namespace: string, flowId: string): Promise<Listed[]> {
  const body = await api.client.graphql<{ executions: { edges: Array<{ node: Listed }> } }>(
    `query($ns:String,$f:String){ executions(namespace:$ns, flowId:$f, first:500, mode: "ALL"){ edges{ node{ id state parentId originalId trigger } } } }`,
    { ns: namespace, f: flowId },
  );
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data!.executions.edges.map((e) => e.node);
}

function belongs(e: Listed, rel: RelatedExpectation, caseFlowId: string, parent: ObservedExecution, runFirst: ReadonlySet<string>): boolean {
  if (runFirst.has(e.id)) return true;
  if (e.parentId === parent.id) return true;
  if (e.trigger?.variables?.executionId === parent.id) return true;
  // The case's own flow: its chain (CREATE_NEW_EXECUTION retries keep the first one's id as originalId).
  return rel.flowId === caseFlowId && (e.id === parent.id || e.originalId === parent.id);
}

/** `runFirst`: the executions the case ran before its own (they belong to it too: a Resume task's target). */
export async function checkRelated(api: ChronicleApi, c: CorpusCase, parent: ObservedExecution, related: readonly RelatedExpectation[], timeoutMs: number, runFirst: readonly string[] = []): Promise<AssertionFailure[]> {
  const first = new Set(runFirst);
  const failures: AssertionFailure[] = [];
  for (const [i, rel] of related.entries()) {
    const id = `related[${i}]`;
    const namespace = rel.namespace ?? c.namespace;
    const deadline = Date.now() + timeoutMs;
    let mine: Listed[] = [];
    for (;;) {
      mine = (await list(api, namespace, rel.flowId)).filter((e) => belongs(e, rel, c.flowId, parent, first));
      const ended = mine.filter((e) => TERMINAL_STATES.has(e.state));
      if ((ended.length >= rel.count && ended.length === mine.length) || Date.now() > deadline) break;
      await sleep(250);
    }
    const ended = mine.filter((e) => TERMINAL_STATES.has(e.state));
    if (ended.length !== rel.count) {
      failures.push({ id: `${id}.count`, what: `ended ${rel.flowId} executions of this case`, expected: rel.count, actual: `${ended.length} ended of ${mine.length}: ${mine.map((e) => e.state).join(', ')}` });
      continue;
    }
    if (rel.states) {
      const actual = ended.map((e) => e.state).sort();
      if (JSON.stringify(actual) !== JSON.stringify([...rel.states].sort())) failures.push({ id: `${id}.states`, what: `${rel.flowId} final states (any order)`, expected: rel.states, actual });
    }
    if (rel.taskRunCount === undefined && !rel.outputs?.length) continue;
    for (const e of ended) {
      const execution = await api.execution(e.id);
      if (!execution) {
        failures.push({ id, what: `${rel.flowId} execution ${e.id}`, expected: 'found', actual: 'not found' });
        continue;
      }
      // Check it as a case of its own, with the parent's id where the expectation names it.
      const outputs = JSON.parse(JSON.stringify(rel.outputs ?? []).replaceAll('<parent execution id>', parent.id));
      const pseudo: CorpusCase = { ...c, expected: { ...c.expected, state: execution.state, taskRunCount: rel.taskRunCount ?? null, outputs, taskRuns: [], child: undefined, secondExecution: undefined } };
      for (const f of checkExpectations(pseudo, { execution, logs: [] })) failures.push({ ...f, id: `${id}.${f.id}`, what: `${rel.flowId} ${e.id}: ${f.what}` });
    }
  }
  return failures;
}
