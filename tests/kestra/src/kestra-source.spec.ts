import { resolve } from 'node:path';
import { runCase, type CaseResult } from './case-runner.js';
import { ChronicleApi, TERMINAL_STATES } from './chronicle-api.js';
import { repoRoot, selectCases, type CorpusCase } from './corpus.js';
import { describeCorpusSuite } from './corpus-suite.js';
import { judge } from './documented-differences.js';
import type { FlowDeployer } from './flow-deployer.js';
import { KestraMirror, mirrorMissingMessage, requiredCases, toCorpusCase, type SourceCase } from './kestra-source.js';
import { SOURCE_CASES } from './kestra-source-cases.js';
import { checkRelated } from './related-executions.js';

/**
 * Kestra's own test flows read from the mirror of its repository (not from ../shared/kestra-corpus),
 * run in every mode and checked against what Kestra's Java tests assert (kestra-source-cases.ts).
 * A case either ends as Kestra says, or is one Chronicle refuses at deploy on purpose (`refused`,
 * with the reason). Env: SOURCE_CASE (names or globs), CORPUS_MODES, CHRONICLE_URL + CHRONICLE_TOKEN,
 * CORPUS_TIMEOUT_MS, CORPUS_CONCURRENCY, CORPUS_RESULTS_DIR, KESTRA_MIRROR.
 */
const mirror = new KestraMirror();
if (!mirror.found) console.log(mirrorMissingMessage(mirror.path));
const commit = mirror.found ? mirror.commit() : '';
const byName = new Map(SOURCE_CASES.map((c) => [c.name, c]));
const corpusCases = mirror.found ? SOURCE_CASES.map((c) => toCorpusCase(c, mirror, commit)) : [];
const cases = selectCases(corpusCases, process.env.SOURCE_CASE);
const required = mirror.found ? requiredCases(SOURCE_CASES, mirror, commit) : [];
const options = { timeoutMs: Number(process.env.CORPUS_TIMEOUT_MS ?? 60_000), pollMs: 100, logGraceMs: 30_000 };
const resultsDir = process.env.CORPUS_RESULTS_DIR ?? resolve(repoRoot, 'tmp', 'kestra-source');
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Starts (and resumes) executions with FILE inputs as Kestra's API takes them: multipart, a `files` part per file whose filename is the input id. */
class SourceApi extends ChronicleApi {
  constructor(api: ChronicleApi, private readonly files: Readonly<Record<string, string>>, private readonly resumeFiles: Readonly<Record<string, string>>) {
    super(api.client);
  }

  private form(inputs: Record<string, unknown> | undefined, files: Readonly<Record<string, string>>): FormData {
    const form = new FormData();
    for (const [k, v] of Object.entries(inputs ?? {})) form.append(k, typeof v === 'string' ? v : JSON.stringify(v));
    for (const [k, content] of Object.entries(files)) form.append('files', new Blob([content], { type: 'text/plain' }), k);
    return form;
  }

  override async createExecution(namespace: string, flowId: string, inputs?: Record<string, unknown>, labels?: Record<string, string>): Promise<string> {
    if (Object.keys(this.files).length === 0) return super.createExecution(namespace, flowId, inputs, labels);
    const query = labels ? `?${Object.entries(labels).map(([k, v]) => `labels=${encodeURIComponent(`${k}:${v}`)}`).join('&')}` : '';
    const res = await fetch(`${this.client.url}/api/v1/executions/${namespace}/${flowId}${query}`, { method: 'POST', headers: { authorization: `Bearer ${this.client.token}` }, body: this.form(inputs, this.files) });
    const body = (await res.json()) as { id?: string; message?: string };
    if (!res.ok || !body.id) throw new Error(`start with files answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
    return body.id;
  }

  override async resumeExecution(id: string, inputs?: Record<string, unknown>): Promise<void> {
    if (Object.keys(this.resumeFiles).length === 0) return super.resumeExecution(id, inputs);
    const res = await fetch(`${this.client.url}/api/v1/executions/${id}/resume`, { method: 'POST', headers: { authorization: `Bearer ${this.client.token}` }, body: this.form(inputs, this.resumeFiles) });
    if (!res.ok) throw new Error(`resume with files answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  }
}

type TriggerStates = NonNullable<SourceCase['triggers']>;

async function graphql<T>(api: ChronicleApi, query: string, variables: Record<string, unknown>): Promise<T> {
  const body = await api.client.graphql<T>(query, variables);
  if (body.errors?.length || !body.data) throw new Error(`GraphQL: ${JSON.stringify(body.errors ?? body).slice(0, 300)}`);
  return body.data;
}

/** Sets the `before` states of the case's flow's triggers (the flow deployed first). */
async function setTriggers(api: ChronicleApi, deployer: FlowDeployer, c: CorpusCase, states: TriggerStates['before']): Promise<void> {
  if (!states) return;
  await deployer.deploy(c.yaml);
  for (const [triggerId, enabled] of Object.entries(states)) {
    await graphql(api, `mutation($ns:String!,$f:String!,$t:String!){ ${enabled ? 'enableTrigger' : 'disableTrigger'}(namespace:$ns, flowId:$f, triggerId:$t){ id } }`, { ns: c.namespace, f: c.flowId, t: triggerId });
  }
}

/** The `after` states, read through the API: a failure per trigger in another state. */
async function checkTriggers(api: ChronicleApi, c: CorpusCase, states: TriggerStates['after']) {
  const { triggers } = await graphql<{ triggers: { id: string; enabled: boolean }[] }>(api, 
    `query($ns:String,$f:String){ triggers(namespace:$ns, flowId:$f){ id enabled } }`, { ns: c.namespace, f: c.flowId },
  );
  return Object.entries(states).flatMap(([triggerId, enabled]) => {
    const actual = triggers.find((t) => t.id === triggerId)?.enabled;
    return actual === enabled ? [] : [{ id: `triggers.${triggerId}`, what: `trigger ${triggerId} enabled`, expected: enabled, actual: actual ?? 'no such trigger' }];
  });
}

/**
 * The case's `runFirst` executions, in order: each runs until it ended in `state` (or, for a state
 * that is not terminal such as PAUSED, until it is in it); a failure per one that did not. Their ids,
 * in order, replace `<runFirst[i] execution id>` in the case's inputs.
 */
async function runFirst(api: ChronicleApi, deployer: FlowDeployer, c: SourceCase, timeoutMs: number) {
  const failures: { id: string; what: string; expected: unknown; actual: unknown }[] = [];
  const ids: string[] = [];
  // The listeners (`requires`) must be there before the first executions end.
  if (c.runFirst?.length) for (const file of c.requires ?? []) await deployer.deploy(mirror.flow(file));
  for (const [i, first] of (c.runFirst ?? []).entries()) {
    const yaml = mirror.flow(first.flow);
    const id = `runFirst[${i}]`;
    const terminal = TERMINAL_STATES.has(first.state);
    try {
      await deployer.deploy(yaml);
      const executionId = await api.createExecution(field(yaml, 'namespace'), field(yaml, 'id'));
      ids.push(executionId);
      const deadline = Date.now() + timeoutMs;
      let state = '';
      while (Date.now() < deadline) {
        state = (await api.execution(executionId))?.state ?? '';
        if (TERMINAL_STATES.has(state) || (!terminal && state === first.state)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      if (state !== first.state) failures.push({ id, what: `${first.flow} ${terminal ? 'ends' : 'reaches'}`, expected: first.state, actual: state || 'not found' });
    } catch (error) {
      failures.push({ id, what: `${first.flow} runs`, expected: first.state, actual: message(error) });
    }
  }
  return { failures, ids };
}

type StateDates = { state: string; date: string }[];

async function stateDates(api: ChronicleApi, id: string): Promise<StateDates> {
  const data = await graphql<{ execution: { stateHistory: StateDates } | null }>(api, 'query($id:ID!){ execution(id:$id){ stateHistory{ state date } } }', { id });
  return data.execution?.stateHistory ?? [];
}

const endedAt = (history: StateDates) => history.find((h) => TERMINAL_STATES.has(h.state))?.date;

/** Whether the timing premise of the case's Kestra test held in this run (see SourceCase.rerunUnless). */
async function premiseHeld(api: ChronicleApi, c: CorpusCase, premise: NonNullable<SourceCase['rerunUnless']>, ids: readonly string[]): Promise<boolean> {
  if (!ids[0]) return true;
  if (premise.kind === 'second-created-while-first-runs') {
    if (!ids[1]) return true;
    const [first, second] = await Promise.all([stateDates(api, ids[0]), stateDates(api, ids[1])]);
    const ended = endedAt(first);
    const created = second[0]?.date;
    return ended === undefined || created === undefined || Date.parse(ended) > Date.parse(created);
  }
  // The chain: the case's execution and the retries whose originalId it is, in creation order.
  const listed = await graphql<{ executions: { edges: Array<{ node: { id: string; originalId: string } }> } }>(api,
    'query($ns:String,$f:String){ executions(namespace:$ns, flowId:$f, first:500, mode: "ALL"){ edges{ node{ id originalId } } } }', { ns: c.namespace, f: c.flowId });
  const chain = listed.executions.edges.map((e) => e.node).filter((e) => e.originalId === ids[0]);
  const histories = await Promise.all(chain.map((e) => stateDates(api, e.id)));
  const ordered = histories.filter((h) => h[0]).sort((a, b) => Date.parse(a[0]!.date) - Date.parse(b[0]!.date));
  const created = ordered[0]?.[0]?.date;
  const beforeLast = ordered[premise.executions - 2];
  const beforeLastEnd = beforeLast && endedAt(beforeLast);
  // Too few executions: the premise held when the one before last ended in time (the engine then owes the last one).
  if (!created || !beforeLastEnd) return ordered.length < premise.executions - 1 ? false : true;
  return Date.parse(beforeLastEnd) + premise.intervalMs <= Date.parse(created) + premise.maxDurationMs;
}

/** The case with the ids of its `runFirst` executions in its inputs. */
const withRunFirstIds = (c: CorpusCase, ids: readonly string[]): CorpusCase => {
  if (!c.inputs || ids.length === 0) return c;
  let text = JSON.stringify(c.inputs);
  ids.forEach((id, i) => (text = text.replaceAll(`<runFirst[${i}] execution id>`, id)));
  return { ...c, inputs: JSON.parse(text) as CorpusCase['inputs'] };
};

const field = (yaml: string, name: string) => yaml.match(new RegExp(`^${name}:\\s*"?([^"\\s#]+)"?`, 'm'))?.[1] ?? '';

async function runRefusal(deployer: FlowDeployer, c: SourceCase, yaml: string): Promise<CaseResult> {
  const started = Date.now();
  const error = await deployer.deploy(yaml).then(() => undefined, message);
  const wanted = typeof c.refused!.contains === 'string' ? [c.refused!.contains] : c.refused!.contains;
  const ok = !!error && wanted.every((w) => error.includes(w));
  const failures = ok ? [] : [{ id: 'refused', what: `deploy refused (${c.refused!.reason})`, expected: `an error containing ${JSON.stringify(c.refused!.contains)}`, actual: error ?? 'deployed' }];
  return { name: c.name, passed: ok, failures, executionIds: [], durationMs: Date.now() - started };
}

/** A start the flow's input validation refuses: no execution, an error naming the input (SourceCase.startRefused). */
async function runStartRefusal(api: ChronicleApi, deployer: FlowDeployer, source: SourceCase, c: CorpusCase): Promise<CaseResult> {
  const started = Date.now();
  const deployError = await deployer.deploy(c.yaml).then(() => undefined, message);
  const error = deployError ?? await api.createExecution(c.namespace, c.flowId, c.inputs ? { ...c.inputs } : undefined).then(() => undefined, message);
  const wanted = source.startRefused!.contains;
  const ok = !deployError && !!error && wanted.every((w) => error.includes(w));
  const failures = ok ? [] : [{ id: 'startRefused', what: deployError ? 'deploy' : 'start refused by input validation', expected: `an error containing ${JSON.stringify(wanted)}`, actual: error ?? 'started' }];
  return { name: c.name, passed: ok, failures, executionIds: [], durationMs: Date.now() - started };
}

describeCorpusSuite({
  title: "Kestra's test flows from its repository",
  found: mirror.found,
  cases,
  resultsDir,
  heading: (mode) => `Kestra source flows, ${mode} mode (${mirror.path} @ ${commit.slice(0, 10)})`,
  async run(target, deployer, c) {
    const source = byName.get(c.name)!;
    if (source.refused) return runRefusal(deployer, source, c.yaml);
    const api = source.files || source.resumeFiles ? new SourceApi(target.api, source.files ?? {}, source.resumeFiles ?? {}) : target.api;
    if (source.startRefused) return runStartRefusal(api, deployer, source, c);
    await setTriggers(api, deployer, c, source.triggers?.before);
    const before = await runFirst(api, deployer, source, options.timeoutMs);
    let result = await runCase(api, withRunFirstIds(c, before.ids), required, deployer, options);
    for (let tries = 1; source.rerunUnless && !result.passed && tries < 3 && !(await premiseHeld(api, c, source.rerunUnless, result.executionIds)); tries++) {
      result = await runCase(api, c, required, deployer, options);
    }
    if (before.failures.length) result = { ...result, passed: false, failures: [...before.failures, ...result.failures] };
    if (source.triggers) {
      const more = await checkTriggers(api, c, source.triggers.after);
      result = { ...result, passed: result.passed && more.length === 0, failures: [...result.failures, ...more] };
    }
    if (!source.related?.length || !result.executionIds[0]) return result;
    const parent = await api.execution(result.executionIds[0]);
    const more = parent ? await checkRelated(api, c, parent, source.related, options.timeoutMs, before.ids) : [{ id: 'related', what: 'the case execution', expected: 'found', actual: 'none' }];
    return { ...result, passed: result.passed && more.length === 0, failures: [...result.failures, ...more] };
  },
  judge: (result, mode) => judge(result, mode, []),
});
