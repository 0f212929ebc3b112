/**
 * The corpus writes a case's steps as sentences (what Kestra's Java test does). This turns each
 * sentence into typed actions; a sentence no rule understands is reported as a failure of the
 * case, never skipped. Durations in the sentences ("within 5 s") are Kestra's harness timing and
 * are not enforced: the runner waits up to its own limit (timing does not belong in tests).
 */
export type ExecRef = 1 | 2;

export type StepCheck =
  | { readonly kind: 'state'; readonly exec: ExecRef; readonly state: string }
  | { readonly kind: 'notTerminal'; readonly exec: ExecRef }
  | { readonly kind: 'taskRunCount'; readonly count: number }
  | { readonly kind: 'taskRunAt'; readonly index: number; readonly taskId: string; readonly state: string }
  | { readonly kind: 'historyCounts'; readonly taskId: string; readonly counts: Readonly<Record<string, number>> }
  | { readonly kind: 'historyPrefix'; readonly exec: ExecRef; readonly states: readonly string[] }
  | { readonly kind: 'taskOutput'; readonly taskId: string; readonly path: string; readonly expected: string };

export type StepAction =
  | { readonly kind: 'start'; readonly exec: ExecRef }
  /** Wait until the execution is in `state` (and has a task run in `taskRunState`). */
  | { readonly kind: 'waitState'; readonly exec: ExecRef; readonly state: string; readonly taskRunState?: string }
  /** Wait until the execution's history shows `state` (it may have moved on since). */
  | { readonly kind: 'waitReached'; readonly exec: ExecRef; readonly state: string }
  | { readonly kind: 'waitEnd'; readonly exec: ExecRef }
  | { readonly kind: 'resume'; readonly exec: ExecRef; readonly inputs?: Readonly<Record<string, unknown>> }
  /** Resume, which the API must refuse with an error containing `contains` (the execution stays as it was). */
  | { readonly kind: 'resumeRefused'; readonly exec: ExecRef; readonly inputs?: Readonly<Record<string, unknown>>; readonly contains: string }
  /** Restart the ended execution (Kestra's ExecutionService.restart) and wait until it ends again. */
  | { readonly kind: 'restart'; readonly exec: ExecRef }
  | { readonly kind: 'check'; readonly check: StepCheck };

export type TranslatedStep =
  | { readonly ok: true; readonly text: string; readonly actions: readonly StepAction[] }
  | { readonly ok: false; readonly text: string; readonly reason: string };

const TERMINAL = new Set(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'RETRIED', 'SKIPPED']);
const execOf = (s: string | undefined): ExecRef => (s === '2' ? 2 : 1);

/** Actions to reach `state` on `exec`, then check it is the one reached. */
function reach(exec: ExecRef, state: string): StepAction[] {
  if (TERMINAL.has(state)) return [{ kind: 'waitEnd', exec }, { kind: 'check', check: { kind: 'state', exec, state } }];
  return [{ kind: 'waitReached', exec, state }];
}

function startAndWait(exec: ExecRef, state: string | undefined, taskRunState: string | undefined): StepAction[] {
  const actions: StepAction[] = [{ kind: 'start', exec }];
  if (state) actions.push({ kind: 'waitState', exec, state, taskRunState });
  return actions;
}

function parseCounts(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/(\d+) ([A-Z]+)/g)) counts[m[2]] = Number(m[1]);
  return counts;
}

/** One clause of an "Assert:" sentence. */
function assertClause(clause: string): StepCheck[] | undefined {
  let m: RegExpMatchArray | null;
  if ((m = clause.match(/^execution (?:state )?([A-Z]+)(?:, (\d+) task runs?)?$/))) {
    const checks: StepCheck[] = [{ kind: 'state', exec: 1, state: m[1] }];
    if (m[2]) checks.push({ kind: 'taskRunCount', count: Number(m[2]) });
    return checks;
  }
  if ((m = clause.match(/^getTaskRunList\(\)\.size\(\) == (\d+)$/)) || (m = clause.match(/^(?:still )?(\d+) task runs?$/))) {
    return [{ kind: 'taskRunCount', count: Number(m[1]) }];
  }
  if ((m = clause.match(/^taskRunList\[(\d+)\] \(([^)]+)\) state ([A-Z]+)$/))) {
    return [{ kind: 'taskRunAt', index: Number(m[1]), taskId: m[2], state: m[3] }];
  }
  if ((m = clause.match(/^#(\d) is still running$/))) return [{ kind: 'notTerminal', exec: execOf(m[1]) }];
  if ((m = clause.match(/^#(\d) is ([A-Z]+)$/))) return [{ kind: 'state', exec: execOf(m[1]), state: m[2] }];
  if ((m = clause.match(/^(?:the )?`?([\w-]+)`?(?: task run's state)? history has (?:exactly )?(.+?)(?: entries)?$/))) {
    return [{ kind: 'historyCounts', taskId: m[1], counts: parseCounts(m[2]) }];
  }
  if ((m = clause.match(/^#(\d) state history starts ((?:[A-Z]+(?:, )?)+)$/))) {
    return [{ kind: 'historyPrefix', exec: execOf(m[1]), states: m[2].split(', ') }];
  }
  if ((m = clause.match(/^assert ([\w-]+)\.([\w.]+) == '(.*)'$/))) {
    return [{ kind: 'taskOutput', taskId: m[1], path: m[2], expected: m[3] }];
  }
  return undefined;
}

function assertSentence(body: string): StepAction[] | undefined {
  const checks: StepCheck[] = [];
  for (const clause of body.split(';').map((c) => c.trim()).filter(Boolean)) {
    const parsed = assertClause(clause);
    if (!parsed) return undefined;
    checks.push(...parsed);
  }
  return checks.map((check) => ({ kind: 'check', check }));
}

type Rule = (text: string) => StepAction[] | undefined;

const RULES: readonly Rule[] = [
  (t) => {
    const m = t.match(/^Start (?:the execution|execution #(\d)|(?:and))(?: and)? wait until (?:it is )?([A-Z]+)(?: with a ([A-Z]+) task run)?\b/);
    return m ? startAndWait(execOf(m[1]), m[2], m[3]) : undefined;
  },
  (t) => {
    const m = t.match(/^Start execution #(\d) of the same flow and wait for it to terminate/);
    return m ? [{ kind: 'start', exec: execOf(m[1]) }, { kind: 'waitEnd', exec: execOf(m[1]) }] : undefined;
  },
  (t) => {
    const m = t.match(/^(?:Create and submit|Start) execution #(\d) of the same flow(?: \(state CREATED\))?\.?$/);
    return m ? [{ kind: 'start', exec: execOf(m[1]) }] : undefined;
  },
  (t) => (/^Assert:? /.test(t) ? assertSentence(t.replace(/^Assert:? /, '').replace(/\.$/, '')) : undefined),
  (t) => {
    const m = t.match(/^Resume with the inputs (\{.*\})\.?$/);
    return m ? [{ kind: 'resume', exec: 1, inputs: JSON.parse(m[1]) as Record<string, unknown> }] : undefined;
  },
  (t) => {
    const m = t.match(/^Resume with (?:the inputs (\{.*\})|no inputs); it is refused with an error containing "(.+)"\.?$/);
    return m ? [{ kind: 'resumeRefused', exec: 1, ...(m[1] ? { inputs: JSON.parse(m[1]) as Record<string, unknown> } : {}), contains: m[2] }] : undefined;
  },
  (t) => (/^Resume(?::| with no resume inputs)/.test(t) ? [{ kind: 'resume', exec: 1 }] : undefined),
  (t) => (/^Restart the execution and wait for it to end again\.?$/.test(t) ? [{ kind: 'restart', exec: 1 }] : undefined),
  (t) => {
    const m = t.match(/^Wait up to [^,;]*? for (?:the execution|#(\d)) to reach ([A-Z]+)\.?$/);
    return m ? reach(execOf(m[1]), m[2]) : undefined;
  },
  (t) => {
    const m = t.match(/^Wait up to [\d\w ]+? for ([A-Z]+)(?:; (.*?))?\.?$/);
    if (!m) return undefined;
    const rest = m[2] ? assertClause(m[2]) : [];
    return rest ? [...reach(1, m[1]), ...rest.map((check): StepAction => ({ kind: 'check', check }))] : undefined;
  },
  (t) => {
    const m = t.match(/^Wait \([^)]*\) for (.+?)\.?$/);
    if (!m) return undefined;
    const actions: StepAction[] = [];
    for (const part of m[1].split(', ')) {
      const p = part.match(/^#(\d) ([A-Z]+)$/);
      if (!p) return undefined;
      actions.push(...reach(execOf(p[1]), p[2]));
    }
    return actions;
  },
  (t) => {
    const m = t.match(/^Do nothing; within [^,;]*? the execution must reach ([A-Z]+)\b/);
    return m ? reach(1, m[1]) : undefined;
  },
];

export function translateStep(text: string): TranslatedStep {
  for (const rule of RULES) {
    const actions = rule(text.trim());
    if (actions) return { ok: true, text, actions };
  }
  return { ok: false, text, reason: `no rule understands the step "${text}"` };
}
