import { evolve, foldExecution, type ExecutionEvent, type ExecutionState } from '@chronicle/domain';
import { GatewayClient } from '@chronicle/testing';

/** What the runner reads of an execution, through the public GraphQL API only. */
export interface ObservedTaskRun {
  readonly id: string;
  readonly taskId: string;
  readonly parentTaskRunId?: string | null;
  readonly value?: string | null;
  readonly state: string;
  readonly attempts: ReadonlyArray<{ readonly number: number; readonly state: string; readonly error?: string | null }>;
  readonly outputs?: Record<string, unknown> | null;
  readonly error?: string | null;
  /** From the API when it exposes TaskRun.stateHistory, else folded from executionHistory. */
  stateHistory?: ReadonlyArray<{ readonly state: string }>;
}

export interface ObservedExecution {
  readonly id: string;
  readonly namespace: string;
  readonly flowId: string;
  readonly state: string;
  readonly stateHistory: ReadonlyArray<{ readonly state: string; readonly date?: string }>;
  readonly inputs?: unknown;
  readonly outputs?: Record<string, unknown> | null;
  readonly labels?: unknown;
  readonly trigger?: Record<string, unknown> | null;
  readonly parentId?: string | null;
  readonly error?: string | null;
  readonly taskRuns: ObservedTaskRun[];
}

export interface ObservedLog {
  readonly taskRunId?: string | null;
  readonly level: string;
  readonly message: string;
}

export class ChronicleApiError extends Error {
  readonly code = 'KESTRA_CORPUS.API_ERROR';
}

export const TERMINAL_STATES: ReadonlySet<string> = new Set(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'RETRIED']);

/**
 * Thin client for the corpus runner. The API is being built alongside, so optional fields
 * (TaskRun.stateHistory, error, parentId) are asked for only when the schema has them.
 */
export class ChronicleApi {
  private fields?: Promise<{ execution: Set<string>; taskRun: Set<string> }>;

  constructor(readonly client: GatewayClient) {}

  static connect(url: string, token: string): ChronicleApi {
    return new ChronicleApi(new GatewayClient(url, token));
  }

  async deployFlow(source: string): Promise<{ namespace: string; id: string; revision: number }> {
    const { deployFlow } = await this.data(`mutation($s:String!){ deployFlow(source:$s){ namespace id revision } }`, { s: source });
    return deployFlow;
  }

  async createExecution(namespace: string, flowId: string, inputs?: Record<string, unknown>, labels?: Record<string, string>): Promise<string> {
    const { createExecution } = await this.data(
      `mutation($ns:String!,$f:String!,$i:JSON,$l:JSON){ createExecution(namespace:$ns, flowId:$f, inputs:$i, labels:$l){ id } }`,
      { ns: namespace, f: flowId, i: inputs ?? null, l: labels ?? null },
    );
    return createExecution.id;
  }

  async resumeExecution(id: string, inputs?: Record<string, unknown>): Promise<void> {
    await this.data(`mutation($id:ID!,$i:JSON){ resumeExecution(id:$id, inputs:$i){ id } }`, { id, i: inputs ?? null });
  }

  async restartExecution(id: string): Promise<void> {
    await this.data(`mutation($id:ID!){ restartExecution(id:$id){ id } }`, { id });
  }

  async execution(id: string): Promise<ObservedExecution | null> {
    const f = await this.schemaFields();
    const opt = (set: Set<string>, name: string, text = name) => (set.has(name) ? text : '');
    const query = `query($id:ID!){ execution(id:$id){ id namespace flowId state stateHistory{ state date } inputs outputs labels trigger
      ${opt(f.execution, 'parentId')} ${opt(f.execution, 'error')}
      taskRuns{ id taskId parentTaskRunId value state attempts{ number state error } outputs
        ${opt(f.taskRun, 'error')} ${opt(f.taskRun, 'stateHistory', 'stateHistory{ state }')} } } }`;
    const { execution } = await this.data<{ execution: ObservedExecution | null }>(query, { id });
    return execution;
  }

  /** Fills task runs' state histories from the event log when the API does not expose them. */
  async withTaskRunHistories(execution: ObservedExecution): Promise<ObservedExecution> {
    if (execution.taskRuns.every((t) => t.stateHistory)) return execution;
    const { executionHistory } = await this.data<{ executionHistory: Array<{ type: string; data: unknown }> }>(
      `query($id:ID!){ executionHistory(id:$id){ type data } }`,
      { id: execution.id },
    );
    const folded = foldExecution(executionHistory as unknown as ExecutionEvent[]);
    for (const run of execution.taskRuns) {
      run.stateHistory ??= folded?.taskRuns.find((t) => t.id === run.id)?.stateHistory ?? [];
    }
    return execution;
  }

  /**
   * The execution as it was at the first moment `when` held, folded from its event history: what
   * Kestra's tests see when they take an execution off the queue as it passes a state
   * (`runOneUntilPaused`), although a one-second Pause may be over by the time it is read.
   */
  async executionWhen(id: string, when: (e: ObservedExecution) => boolean): Promise<ObservedExecution | undefined> {
    const { executionHistory } = await this.data<{ executionHistory: Array<{ type: string; data: unknown }> }>(
      `query($id:ID!){ executionHistory(id:$id){ type data } }`,
      { id },
    );
    let state: ExecutionState = undefined;
    for (const event of executionHistory as unknown as ExecutionEvent[]) {
      state = evolve(state, event);
      // The folded execution has every field the runner reads (ObservedExecution is a subset).
      const seen = state as unknown as ObservedExecution | undefined;
      if (seen && when(seen)) return JSON.parse(JSON.stringify(seen)) as ObservedExecution;
    }
    return undefined;
  }

  /** The execution as it was at `date` (its events up to then, folded); undefined when it did not exist yet. */
  async executionAt(id: string, date: string): Promise<ObservedExecution | undefined> {
    const { executionHistory } = await this.data<{ executionHistory: Array<{ type: string; data: { at?: string } }> }>(
      `query($id:ID!){ executionHistory(id:$id){ type data } }`,
      { id },
    );
    const until = Date.parse(date);
    // The stream is in order: every event up to the first one after `date`.
    const after = executionHistory.findIndex((e) => e.data?.at !== undefined && Date.parse(e.data.at) > until);
    const upTo = after < 0 ? executionHistory : executionHistory.slice(0, after);
    const state = foldExecution(upTo as unknown as ExecutionEvent[]);
    return state ? (JSON.parse(JSON.stringify(state)) as ObservedExecution) : undefined;
  }

  async logs(executionId: string): Promise<ObservedLog[]> {
    const { logs } = await this.data<{ logs: ObservedLog[] }>(`query($id:ID!){ logs(executionId:$id){ taskRunId level message } }`, { id: executionId });
    return logs;
  }

  /** Executions of a flow whose parent is `parentId` (Subflow children). */
  async childrenOf(parentId: string, namespace: string, flowId: string): Promise<string[]> {
    const { executions } = await this.data(
      `query($ns:String,$f:String){ executions(namespace:$ns, flowId:$f, first:500){ edges{ node{ id parentId } } } }`,
      { ns: namespace, f: flowId },
    );
    return (executions.edges as Array<{ node: { id: string; parentId?: string | null } }>)
      .filter((e) => e.node.parentId === parentId)
      .map((e) => e.node.id);
  }

  /** `data`, or an error that reads like the API's own message (`BAD_USER_INPUT: invalid flow ...`). */
  private async data<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const body = await this.client.graphql<T>(query, variables);
    if (body.errors?.length) throw new ChronicleApiError(body.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
    if (!body.data) throw new ChronicleApiError('the API answered no data');
    return body.data;
  }

  private schemaFields() {
    this.fields ??= (async () => {
      try {
        const { execution, taskRun } = await this.data(
          `{ execution: __type(name:"Execution"){ fields{ name } } taskRun: __type(name:"TaskRun"){ fields{ name } } }`,
        );
        const names = (t: { fields: Array<{ name: string }> } | null) => new Set((t?.fields ?? []).map((x) => x.name));
        return { execution: names(execution), taskRun: names(taskRun) };
      } catch {
        // Introspection turned off: ask only for what CONTRACT.md promises.
        return { execution: new Set(['parentId']), taskRun: new Set<string>() };
      }
    })();
    return this.fields;
  }
}
