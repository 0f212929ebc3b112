import { TERMINAL_STATES, type ChronicleApi, type ObservedExecution } from './chronicle-api.js';
import { findRequiredFlow, type CorpusCase } from './corpus.js';
import { translateStep, type ExecRef, type StepAction } from './corpus-steps.js';
import { checkExpectations, type AssertionFailure, type Observation } from './expectations.js';
import type { FlowDeployer } from './flow-deployer.js';
import { checkStep } from './step-checks.js';

export interface CaseRunOptions {
  /** How long an execution may take to end, or to reach a state a step waits for (Kestra's harness: 15 s, 60 s). */
  readonly timeoutMs: number;
  readonly pollMs: number;
  /** How long log lines may take to be projected after the execution ended. */
  readonly logGraceMs: number;
}

export interface CaseResult {
  readonly name: string;
  readonly passed: boolean;
  /** Every assertion that did not hold, in the order checked; the first one explains the case. */
  readonly failures: readonly AssertionFailure[];
  readonly executionIds: readonly string[];
  readonly durationMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

class StepAbort extends Error {
  constructor(readonly failure: AssertionFailure) {
    super(failure.what);
  }
}

/** Runs one corpus case against a running Chronicle and checks everything the case expects (no other case of its flow meanwhile). */
export function runCase(api: ChronicleApi, c: CorpusCase, corpus: readonly CorpusCase[], deployer: FlowDeployer, options: CaseRunOptions): Promise<CaseResult> {
  return deployer.exclusive(c.namespace, c.flowId, c.yaml, () => runCaseAlone(api, c, corpus, deployer, options));
}

async function runCaseAlone(api: ChronicleApi, c: CorpusCase, corpus: readonly CorpusCase[], deployer: FlowDeployer, options: CaseRunOptions): Promise<CaseResult> {
  const started = Date.now();
  const ids = new Map<ExecRef, string>();
  const failures: AssertionFailure[] = [];
  const done = (): CaseResult => ({ name: c.name, passed: failures.length === 0, failures, executionIds: [...ids.values()], durationMs: Date.now() - started });

  // 1. Deploy the flows it needs, then its own.
  for (const ref of c.requiresFlows) {
    const required = findRequiredFlow(corpus, ref);
    if (!required) return failures.push({ id: 'deploy', what: `required flow ${ref.namespace}.${ref.flowId} is not in the corpus` }), done();
    const error = await deployer.deploy(required.yaml).then(() => undefined, message);
    if (error) return failures.push({ id: 'deploy', what: `required flow ${ref.flowId}`, expected: 'deployed', actual: error }), done();
  }
  const deployError = await deployer.deploy(c.yaml).then(() => undefined, message);
  if (deployError) return failures.push({ id: 'deploy', what: `flow ${c.flowId}`, expected: 'deployed', actual: deployError }), done();

  // 2. Its steps (or: start, wait for the end).
  const translated = (c.steps ?? []).map(translateStep);
  for (const [i, t] of translated.entries()) if (!t.ok) failures.push({ id: `steps[${i}]`, what: t.reason });
  if (failures.length) return done();
  const actions: Array<{ step: number; action: StepAction }> = c.steps
    ? translated.flatMap((t, step) => (t.ok ? t.actions.map((action) => ({ step, action })) : []))
    : [{ step: -1, action: { kind: 'start', exec: 1 } }];

  const inputs = c.inputsMode === 'none' || !c.inputs ? undefined : { ...c.inputs };
  const labels = c.executionLabels?.length ? Object.fromEntries(c.executionLabels.map((l) => [l.key, l.value])) : undefined;
  const get = async (exec: ExecRef): Promise<ObservedExecution> => {
    const id = ids.get(exec)!;
    const execution = await api.execution(id);
    if (!execution) throw new Error(`execution ${id} not found`);
    return execution;
  };
  const waitFor = async (exec: ExecRef, what: string, until: (e: ObservedExecution) => boolean, step: number, endedIsNotFinal = false): Promise<ObservedExecution> => {
    const deadline = Date.now() + options.timeoutMs;
    let last: ObservedExecution | undefined;
    for (;;) {
      last = await get(exec).catch(() => last);
      if (last && until(last)) return last;
      const ended = !endedIsNotFinal && last && TERMINAL_STATES.has(last.state);
      if (ended || Date.now() > deadline) {
        const now = last ? `${last.state}; task runs ${last.taskRuns.map((t) => `${t.taskId}:${t.state}`).join(', ') || 'none'}` : 'not found';
        throw new StepAbort({ id: step < 0 ? 'end' : `steps[${step}]`, what: `#${exec} ${what}${ended ? '' : ` within ${options.timeoutMs / 1000} s`}`, expected: what, actual: now });
      }
      await sleep(options.pollMs);
    }
  };
  const waitEnd = (exec: ExecRef, step: number) => waitFor(exec, 'ends', (e) => TERMINAL_STATES.has(e.state), step);

  let aborted = false;
  const checksSeen = new Map<number, number>();
  // What a wait saw when its condition held: the checks right after it read that, as Kestra's tests
  // assert on the execution `runOneUntilPaused` returned (a 1 s pause may be over by the next read).
  const seenByWait = new Map<ExecRef, ObservedExecution>();
  // The execution a wait saw end, and when: the checks right after it read the *other* executions as
  // they were at that moment (FlowConcurrencyCaseTest: #1 still runs when #2 has been refused), not as
  // they are by the time a loaded machine gets to read them.
  let lastEnd: { exec: ExecRef; date: string } | undefined;
  try {
    for (const { step, action } of actions) {
      const id = step < 0 ? 'start' : `steps[${step}]`;
      if (action.kind !== 'check') {
        seenByWait.clear();
        lastEnd = undefined;
      }
      switch (action.kind) {
        case 'start': {
          const created = await api.createExecution(c.namespace, c.flowId, inputs, labels).catch((e) => {
            throw new StepAbort({ id: 'start', what: `start execution #${action.exec}`, expected: 'created', actual: message(e) });
          });
          ids.set(action.exec, created);
          break;
        }
        case 'waitState': {
          const holds = (e: ObservedExecution) => e.state === action.state && (!action.taskRunState || e.taskRuns.some((t) => t.state === action.taskRunState));
          // Passed already (a 1 s Pause over before a read on a loaded machine): the execution as it was
          // then, from its history, as Kestra's test takes it off the queue when it passes the state.
          const passed = (e: ObservedExecution) => e.state !== action.state && e.stateHistory.some((h) => h.state === action.state);
          const seen = await waitFor(action.exec, `is ${action.state}${action.taskRunState ? ` with a ${action.taskRunState} task run` : ''}`, (e) => holds(e) || passed(e), step);
          seenByWait.set(action.exec, holds(seen) ? seen : ((await api.executionWhen(seen.id, holds)) ?? seen));
          break;
        }
        case 'waitReached':
          await waitFor(action.exec, `reaches ${action.state}`, (e) => e.state === action.state || e.stateHistory.some((h) => h.state === action.state), step);
          break;
        case 'waitEnd': {
          const ended = await waitEnd(action.exec, step);
          const date = ended.stateHistory.at(-1)?.date;
          if (date) lastEnd = { exec: action.exec, date };
          break;
        }
        case 'resume':
          await api.resumeExecution(ids.get(action.exec)!, action.inputs).catch((e) => {
            throw new StepAbort({ id, what: `resume #${action.exec}`, expected: 'resumed', actual: message(e) });
          });
          break;
        case 'resumeRefused': {
          const error = await api.resumeExecution(ids.get(action.exec)!, action.inputs).then(() => undefined, message);
          if (!error || !error.includes(action.contains)) {
            throw new StepAbort({ id, what: `resume #${action.exec} refused`, expected: `an error containing ${JSON.stringify(action.contains)}`, actual: error ?? 'resumed' });
          }
          break;
        }
        case 'restart': {
          const before = (await get(action.exec)).stateHistory.length;
          await api.restartExecution(ids.get(action.exec)!).catch((e) => {
            throw new StepAbort({ id, what: `restart #${action.exec}`, expected: 'restarted', actual: message(e) });
          });
          // Ended again: a terminal state reached after the restart's own entries.
          await waitFor(action.exec, 'ends again after the restart', (e) => e.stateHistory.length > before + 1 && TERMINAL_STATES.has(e.state), step, true);
          break;
        }
        case 'check': {
          // A sentence may assert several things: steps[2].check[1] names the second.
          const n = checksSeen.get(step) ?? 0;
          checksSeen.set(step, n + 1);
          const now = new Map<number, ObservedExecution>();
          for (const exec of ids.keys()) {
            const asOfLastEnd = lastEnd && lastEnd.exec !== exec && !seenByWait.has(exec) ? await api.executionAt(ids.get(exec)!, lastEnd.date) : undefined;
            now.set(exec, await api.withTaskRunHistories(seenByWait.get(exec) ?? asOfLastEnd ?? (await get(exec))));
          }
          const failure = checkStep(`${id}.check[${n}]`, action.check, now);
          if (failure) failures.push(failure);
          break;
        }
      }
    }
  } catch (error) {
    if (!(error instanceof StepAbort)) throw error;
    failures.push(error.failure);
    aborted = true;
    if (!ids.has(1)) return done();
  }

  // 3. The end of every execution it started (after an aborted step: as they are now), then every expectation.
  const finals = new Map<ExecRef, ObservedExecution>();
  for (const exec of ids.keys()) {
    const final = aborted
      ? await get(exec)
      : await waitEnd(exec, -1).catch((e) => {
          if (!(e instanceof StepAbort)) throw e;
          failures.push(e.failure);
          return get(exec);
        });
    finals.set(exec, await api.withTaskRunHistories(final));
  }
  const observation = await observe(api, c, finals, options);
  failures.push(...checkExpectations(c, observation));
  return done();
}

const needsChild = (c: CorpusCase) => !!c.expected.child || c.expected.outputs.some((a) => a.target === 'childExecution' || a.op === 'equalsChild');
const needsLogs = (c: CorpusCase) => c.expected.outputs.some((a) => a.target === 'log');

async function observe(api: ChronicleApi, c: CorpusCase, finals: Map<ExecRef, ObservedExecution>, options: CaseRunOptions): Promise<Observation> {
  const execution = finals.get(1)!;
  let child: Observation['child'];
  if (needsChild(c)) child = await findChild(api, c, execution, options);
  let observation: Observation = { execution, second: finals.get(2), child, logs: [] };
  if (!needsLogs(c)) return observation;
  // Logs are projected in batches, apart from the execution: give them a moment.
  const deadline = Date.now() + options.logGraceMs;
  const logFailures = (o: Observation) => checkExpectations(c, o).filter((f) => c.expected.outputs[Number(f.id.match(/^outputs\[(\d+)\]/)?.[1] ?? -1)]?.target === 'log');
  for (;;) {
    observation = { ...observation, logs: await api.logs(execution.id) };
    if (logFailures(observation).length === 0 || Date.now() > deadline) return observation;
    await sleep(250);
  }
}

/** The Subflow child: named by the parent task run's `executionId` output, else found by `parentId`. */
async function findChild(api: ChronicleApi, c: CorpusCase, parent: ObservedExecution, options: CaseRunOptions): Promise<Observation['child']> {
  const named = parent.taskRuns.map((t) => t.outputs?.executionId).find((id): id is string => typeof id === 'string');
  const flowId = c.expected.child?.flowId ?? c.requiresFlows[0]?.flowId;
  const namespace = c.requiresFlows.find((r) => r.flowId === flowId)?.namespace ?? c.namespace;
  let id = named;
  if (!id && flowId) {
    // The list reads the read model, which may lag the log: wait for the child to be listed.
    const deadline = Date.now() + options.timeoutMs;
    let found: string[] | { error: string };
    for (;;) {
      found = await api.childrenOf(parent.id, namespace, flowId).catch((e) => ({ error: message(e) }));
      if (('error' in found ? false : found.length >= 1) || Date.now() > deadline) break;
      await sleep(250);
    }
    if ('error' in found) return { missing: `could not list ${flowId} executions: ${found.error}` };
    if (found.length !== 1) return { missing: `${found.length} ${flowId} executions have parentId ${parent.id}` };
    id = found[0];
  }
  if (!id) return { missing: 'no task run output names a child execution and no child flow is known' };
  const child = await api.execution(id).catch(() => null);
  return child ?? { missing: `child execution ${id} not found` };
}
