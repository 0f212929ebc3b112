import type { Command } from 'commander';
import type * as G from '@chronicle/client/graphql';
import { dim, state } from '../output.js';
import { UsageError } from '../settings.js';
import { contextOf } from './context.js';

// The shape comes from schema.graphql through the SDK's generated types (no hand copy).
type Savepoint = Pick<G.Savepoint, 'revision' | 'taskId' | 'taskRunId' | 'at'>;

/**
 * `executions savepoints <id>` lists the points an execution can be rewound to; `executions
 * rewind <id>` goes back to one in place (same execution, new attempts): `--to-revision` or
 * `--before-task`. Rewinding takes an EDITOR token of the execution's namespace.
 */
export function registerRewind(executions: Command): void {
  executions
    .command('savepoints')
    .description('the points of its own history an execution can be rewound to (the flow\'s savepointRetention keeps them)')
    .argument('<id>')
    .action(async (id: string, _options, command: Command) => {
      const { client, out, json } = contextOf(command);
      const { execution } = await client.graphql<{ execution: { savepoints: Savepoint[] } | null }>(
        `query($id: ID!) { execution(id: $id) { savepoints { revision taskId taskRunId at } } }`, { id });
      if (!execution) throw new UsageError(`execution ${id} does not exist`);
      if (json) return out.data(execution.savepoints);
      if (execution.savepoints.length === 0) return out.line(dim('no savepoints'));
      for (const s of execution.savepoints) out.line(`${String(s.revision).padStart(5)}  before ${s.taskId} ${dim(`(${s.taskRunId}, ${s.at})`)}`);
    });

  executions
    .command('rewind')
    .description('rewind an execution in place to one of its savepoints and run on from there (the log keeps everything)')
    .argument('<id>')
    .option('--to-revision <n>', 'a savepoint\'s revision (see `executions savepoints`)')
    .option('--before-task <taskId>', 'the newest savepoint before this task')
    .option('--reason <text>', 'why (kept in the log)')
    .option('-k, --idempotency-key <key>', 'the same key is the same rewind')
    .action(async (id: string, options: { toRevision?: string; beforeTask?: string; reason?: string; idempotencyKey?: string }, command: Command) => {
      const { client, out, json } = contextOf(command);
      if ((options.toRevision === undefined) === (options.beforeTask === undefined)) throw new UsageError('give exactly one of --to-revision or --before-task');
      const toRevision = options.toRevision === undefined ? undefined : Number(options.toRevision);
      if (toRevision !== undefined && !Number.isInteger(toRevision)) throw new UsageError(`--to-revision ${options.toRevision} is not an integer`);
      const { rewindExecution } = await client.graphql<{ rewindExecution: { id: string; state: string; revision: number } }>(
        `mutation($id: ID!, $toRevision: Int, $beforeTaskId: String, $reason: String, $key: String) {
           rewindExecution(id: $id, toRevision: $toRevision, beforeTaskId: $beforeTaskId, reason: $reason, idempotencyKey: $key) { id state revision } }`,
        { id, toRevision, beforeTaskId: options.beforeTask, reason: options.reason, key: options.idempotencyKey },
      );
      if (json) return out.data(rewindExecution);
      out.line(`${rewindExecution.id} ${state(rewindExecution.state)} ${dim(`rewound ${options.beforeTask !== undefined ? `before task ${options.beforeTask}` : `to revision ${toRevision}`}`)}`);
    });
}
