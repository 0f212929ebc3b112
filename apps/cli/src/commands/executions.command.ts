import type { Command } from 'commander';
import { endsExecution, HistoryFormatter, type HistoryEvent } from '../history-format.js';
import { dim, duration, state } from '../output.js';
import { collect, keyValues, UsageError } from '../settings.js';
import { contextOf, type CliContext } from './context.js';
import { registerRewind } from './rewind.command.js';
import { registerTree } from './tree.command.js';
import { EXECUTION_FIELDS, fromSnapshot, printExecution, TERMINAL_STATES, type ExecutionView } from './execution-view.js';
import { ChronicleNotFoundError } from '@chronicle/client';

const EVENT_FIELDS = 'revision position type occurredAt data';

export function registerExecutions(program: Command): void {
  const executions = program.command('executions').alias('ex').description('start, follow, inspect and steer executions');

  executions
    .command('start')
    .description('start an execution of a flow')
    .argument('<namespace>')
    .argument('<flow>')
    .option('-i, --input <key=value>', 'an input (repeatable)', collect)
    .option('-l, --label <key=value>', 'a label (repeatable)', collect)
    .option('-r, --revision <n>', 'a flow revision (default: the latest)', toInt)
    .option('-k, --idempotency-key <key>', 'the same key answers the same execution')
    .option('-w, --wait', 'follow it live until it ends')
    .option('-p, --priority <n>', 'higher first (replaces the flow\'s priority for this run)', toInt)
    .option('--max-runtime <duration>', 'ISO-8601 duration (PT10M): kill it once it ran that long (replaces the flow\'s timeout)')
    .option('--at <date-time>', 'start it later, at this ISO-8601 date-time (a kill before then cancels it)')
    .option('--name <name>', 'a name for this run')
    .option('--description <text>', 'a description of this run')
    .option('-b, --breakpoint <taskId>', 'pause before this task (repeatable); continue/step/skip it with `executions continue|step|skip`', collect)
    .option('--step', 'step mode: pause before every task')
    .option('--wrapper <namespace/flowId>', 'a wrapper added to this run, outside the flow\'s own (repeatable, the first outermost)', collect)
    .option('--unwrapped', 'run without the flow\'s own wrappers')
    .action(async (namespace: string, flowId: string, options: StartOptions, command: Command) => {
      const ctx = contextOf(command);
      const { createExecution } = await ctx.client.graphql<{ createExecution: ExecutionView }>(
        `mutation($namespace: String!, $flowId: String!, $inputs: JSON, $labels: JSON, $revision: Int, $key: String, $priority: Int, $maxRuntime: String, $scheduledAt: String, $name: String, $description: String, $breakpoints: [String!], $stepMode: Boolean, $wrappers: JSON, $unwrapped: Boolean) {
           createExecution(namespace: $namespace, flowId: $flowId, inputs: $inputs, labels: $labels, revision: $revision, idempotencyKey: $key,
             priority: $priority, maxRuntime: $maxRuntime, scheduledAt: $scheduledAt, name: $name, description: $description, breakpoints: $breakpoints, stepMode: $stepMode, wrappers: $wrappers, unwrapped: $unwrapped) { ${EXECUTION_FIELDS} } }`,
        {
          namespace, flowId, inputs: keyValues(options.input, false), labels: keyValues(options.label, false), revision: options.revision, key: options.idempotencyKey,
          priority: options.priority, maxRuntime: options.maxRuntime, scheduledAt: options.at, name: options.name, description: options.description,
          breakpoints: options.breakpoint, stepMode: options.step, wrappers: wrappersOption(options.wrapper), unwrapped: options.unwrapped,
        },
      );
      if (options.wait) return tail(ctx, createExecution.id);
      if (ctx.json) return ctx.out.data(createExecution);
      ctx.out.line(`${createExecution.id} ${state(createExecution.state)}`);
    });

  executions
    .command('list')
    .description('executions, newest first')
    .option('-n, --namespace <namespace>', 'this namespace and its children')
    .option('-f, --flow <flowId>')
    .option('-s, --state <state>', 'a state (repeatable)', collect)
    .option('-l, --label <key=value>', 'executions with this label (repeatable)', collect)
    .option('--original <id>', 'executions with this originalId (restarts and replays of one execution)')
    .option('--parent <id>', 'children of this execution')
    .option('--first <n>', 'page size (default 50)', toInt)
    .option('--after <cursor>', 'the page after this cursor')
    .action(async (options: { namespace?: string; flow?: string; state?: string[]; label?: string[]; original?: string; parent?: string; first?: number; after?: string }, command: Command) => {
      const { client, out, json } = contextOf(command);
      const { executions: page } = await client.graphql<{ executions: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor?: string }; edges: { node: ExecutionView }[] } }>(
        `query($namespace: String, $flowId: String, $state: [State!], $labels: JSON, $originalId: ID, $parentId: ID, $first: Int, $after: String) {
           executions(namespace: $namespace, flowId: $flowId, state: $state, labels: $labels, originalId: $originalId, parentId: $parentId, first: $first, after: $after) {
             totalCount pageInfo { hasNextPage endCursor } edges { node { id namespace flowId flowRevision state startDate endDate originalId } } } }`,
        {
          namespace: options.namespace, flowId: options.flow, state: options.state?.map((s) => s.toUpperCase()), labels: keyValues(options.label, false),
          originalId: options.original, parentId: options.parent, first: options.first, after: options.after,
        },
      );
      if (json) return out.data(page);
      out.table(['id', 'namespace', 'flow', 'state', 'started', 'duration'], page.edges.map(({ node: e }) => [
        e.id, e.namespace, `${e.flowId} (rev ${e.flowRevision})`, state(e.state), e.startDate, duration(e.startDate, e.endDate),
      ]));
      out.line(dim(`${page.edges.length} of ${page.totalCount}${page.pageInfo.hasNextPage ? ` · next page: --after ${page.pageInfo.endCursor}` : ''}`));
    });

  executions
    .command('get')
    .description('an execution now, with its task runs (never older than --min-revision)')
    .argument('<id>')
    .option('-m, --min-revision <n>', 'answer at this revision or later (the revision a command printed)', toInt)
    .action(async (id: string, options: { minRevision?: number }, command: Command) => {
      const { sdk, out, json } = contextOf(command);
      const execution = await sdk.get(id, { minRevision: options.minRevision });
      if (!execution) throw new ChronicleNotFoundError(`execution ${id} does not exist`, undefined, undefined, 'EXECUTION_NOT_FOUND');
      if (json) return out.data(execution);
      printExecution(out, fromSnapshot(execution));
    });

  executions
    .command('at')
    .description('the execution as it was right after the event at this revision (time travel)')
    .argument('<id>')
    .argument('<revision>', 'a stream revision (see `executions history`)', toInt)
    .action(async (id: string, revision: number, _options, command: Command) => {
      const { client, out, json } = contextOf(command);
      const { executionAt } = await client.graphql<{ executionAt: ExecutionView | null }>(
        `query($id: ID!, $revision: Int!) { executionAt(id: $id, revision: $revision) { ${EXECUTION_FIELDS} } }`, { id, revision },
      );
      if (!executionAt) throw new ChronicleNotFoundError(`execution ${id} does not exist`, undefined, undefined, 'EXECUTION_NOT_FOUND');
      if (json) return out.data(executionAt);
      out.line(dim(`as of revision ${revision}`));
      printExecution(out, executionAt);
    });

  executions
    .command('history')
    .description('every event of the execution, one line each: revision, time, type, summary')
    .argument('<id>')
    .action(async (id: string, _options, command: Command) => {
      const { client, out, json } = contextOf(command);
      const { executionHistory } = await client.graphql<{ executionHistory: HistoryEvent[] }>(`query($id: ID!) { executionHistory(id: $id) { ${EVENT_FIELDS} } }`, { id });
      if (json) return out.data(executionHistory);
      const formatter = new HistoryFormatter(id);
      for (const event of executionHistory) out.line(formatter.line(event));
    });

  executions
    .command('tail')
    .description('the execution\'s events live, until it ends')
    .argument('<id>')
    .action(async (id: string, _options, command: Command) => tail(contextOf(command), id));

  executions
    .command('update')
    .description('steer an execution in any state: its status message, priority, name, description or labels')
    .argument('<id>')
    .option('-m, --message <text>', 'the status message')
    .option('-p, --priority <n>', 'a new priority', toInt)
    .option('--name <name>')
    .option('--description <text>')
    .option('-l, --label <key=value>', 'the labels, all of them (repeatable; replaces the current ones)', collect)
    .action(async (id: string, options: { message?: string; priority?: number; name?: string; description?: string; label?: string[] }, command: Command) => {
      const { client, out, json } = contextOf(command);
      const { updateExecution } = await client.graphql<{ updateExecution: ExecutionView }>(
        `mutation($id: ID!, $message: String, $priority: Int, $name: String, $description: String, $labels: JSON) {
           updateExecution(id: $id, message: $message, priority: $priority, name: $name, description: $description, labels: $labels) { ${EXECUTION_FIELDS} } }`,
        { id, message: options.message, priority: options.priority, name: options.name, description: options.description, labels: keyValues(options.label, false) },
      );
      if (json) return out.data(updateExecution);
      printExecution(out, updateExecution);
    });

  executions.command('kill').description('kill an execution (at a breakpoint: abort)').argument('<id>').action(control('kill'));
  for (const [verb, what] of [['continue', 'run on to the next breakpoint (step mode off)'], ['step', 'run this task and pause before the next one'], ['skip', 'end the task at the breakpoint SKIPPED and go on']] as const) {
    executions.command(verb).description(`at a breakpoint: ${what}`).argument('<id>').action(async (id: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command);
      const { resolveBreakpoint } = await ctx.client.graphql<{ resolveBreakpoint: ExecutionView }>(
        `mutation($id: ID!, $action: BreakpointAction!) { resolveBreakpoint(id: $id, action: $action) { ${EXECUTION_FIELDS} } }`,
        { id, action: verb.toUpperCase() },
      );
      report(ctx, resolveBreakpoint);
    });
  }
  executions.command('pause').description('pause a running execution').argument('<id>').action(control('pause'));
  executions.command('restart').description('re-run the failed task runs of an execution, in the same execution').argument('<id>').action(control('restart'));
  registerRewind(executions);
  registerTree(executions);

  executions
    .command('resume')
    .description('resume a paused execution (or its Pause task)')
    .argument('<id>')
    .option('--reject', 'reject it: the paused task fails')
    .option('-i, --input <key=value>', 'an output of the Pause task (repeatable)', collect)
    .action(async (id: string, options: { reject?: boolean; input?: string[] }, command: Command) => {
      const ctx = contextOf(command);
      const resumeExecution = await ctx.sdk.resume(id, { approve: options.reject !== true, inputs: keyValues(options.input, false) });
      report(ctx, fromSnapshot(resumeExecution));
    });

  executions
    .command('replay')
    .description('a new execution of the same flow, reusing the outputs of the task runs before --from-task')
    .argument('<id>')
    .option('-t, --from-task <taskId>', 'the first task to run again (default: all of them)')
    .option('-i, --input <key=value>', 'replace an input (repeatable)', collect)
    .option('-r, --revision <n>', 'run another flow revision', toInt)
    .option('-w, --wait', 'follow the new execution until it ends')
    .action(async (id: string, options: { fromTask?: string; input?: string[]; revision?: number; wait?: boolean }, command: Command) => {
      const ctx = contextOf(command);
      let inputs = keyValues(options.input, false);
      if (inputs) {
        // Edited inputs are merged into the original ones.
        const { execution } = await ctx.client.graphql<{ execution: ExecutionView | null }>(`query($id: ID!) { execution(id: $id) { inputs } }`, { id });
        inputs = { ...(isObject(execution?.inputs) ? execution.inputs : {}), ...inputs };
      }
      const replayExecution = await ctx.sdk.replay(id, { fromTaskId: options.fromTask, inputs, revision: options.revision });
      if (options.wait) return tail(ctx, replayExecution.id);
      if (ctx.json) return ctx.out.data(replayExecution);
      ctx.out.line(`${replayExecution.id} ${state(replayExecution.state)} ${dim(`replay of ${id}${options.fromTask ? ` from task ${options.fromTask}` : ''}`)}`);
    });
}

function control(verb: 'kill' | 'pause' | 'restart') {
  return async (id: string, _options: unknown, command: Command) => {
    const ctx = contextOf(command);
    report(ctx, fromSnapshot(await ctx.sdk[verb](id)));
  };
}

function report(ctx: CliContext, execution: ExecutionView): void {
  if (ctx.json) return ctx.out.data(execution);
  ctx.out.line(`${execution.id} ${state(execution.state)}`);
}

/**
 * Prints the execution's events as they happen (graphql-ws `executionEvents`), from the first,
 * until the event that ends it; an execution that has ended already prints its history.
 */
async function tail({ client, sdk, out, json }: CliContext, id: string): Promise<void> {
  const formatter = new HistoryFormatter(id);
  let last = 0;
  const print = (event: HistoryEvent) => {
    last = Math.max(last, event.revision);
    return json ? out.jsonLine(event) : out.line(formatter.line(event));
  };
  const { execution } = await client.graphql<{ execution: { state: string; revision: number } | null }>(`query($id: ID!) { execution(id: $id) { state revision } }`, { id });
  if (execution && TERMINAL_STATES.has(execution.state)) {
    const { executionHistory } = await client.graphql<{ executionHistory: HistoryEvent[] }>(`query($id: ID!) { executionHistory(id: $id) { ${EVENT_FIELDS} } }`, { id });
    executionHistory.forEach(print);
  } else {
    await client.subscribe<{ executionEvents: HistoryEvent }>(`subscription($id: ID!) { executionEvents(id: $id) { ${EVENT_FIELDS} } }`, { id }, ({ executionEvents: event }) => {
      print(event);
      return endsExecution(event);
    });
  }
  if (json) return;
  // Read-your-writes: the execution at the revision of the last event printed, or later.
  const ended = await sdk.get(id, { minRevision: last });
  if (ended) out.line(`${ended.id} ${state(ended.state)} ${dim(duration(ended.startDate, ended.endDate))}`);
}

function toInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`${value} is not an integer`);
  return n;
}

interface StartOptions {
  input?: string[]; label?: string[]; revision?: number; idempotencyKey?: string; wait?: boolean;
  priority?: number; maxRuntime?: string; at?: string; name?: string; description?: string; breakpoint?: string[]; step?: boolean;
  wrapper?: string[]; unwrapped?: boolean;
}

/** `--wrapper ns/flowId` (repeatable) as the `wrappers` argument. */
function wrappersOption(values: string[] | undefined): { namespace: string; flowId: string }[] | undefined {
  if (values === undefined) return undefined;
  return values.map((value) => {
    const match = /^([^/]+)\/([^/]+)$/.exec(value);
    if (match === null) throw new UsageError(`--wrapper ${value}: expected <namespace>/<flowId>`);
    return { namespace: match[1]!, flowId: match[2]! };
  });
}

/** GraphQL's JSON scalar holding an object (an execution's inputs). */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
