import type { Command } from 'commander';
import { UsageError, collect } from '../settings.js';
import { contextOf } from './context.js';

/** `executions purge` (retention) and `audit` (who did what), over the ADMIN/read API. */
export function registerRetention(program: Command): void {
  const executions = program.commands.find((c) => c.name() === 'executions')!;
  executions
    .command('purge')
    .description('remove ended executions from the read models and the event store (ADMIN); --dry-run lists what would go')
    .option('--older-than <age>', 'ended more than this long ago, e.g. 30d')
    .option('-n, --namespace <namespace>', 'only this namespace and its children')
    .option('-s, --state <state>', 'only executions that ended in this state (repeatable)', collect)
    .option('--limit <n>', 'at most this many per call (default 1000)', (v) => Number(v))
    .option('--dry-run', 'list them and change nothing')
    .action(async (options: { olderThan?: string; namespace?: string; state?: string[]; limit?: number; dryRun?: boolean }, command: Command) => {
      const { client, out, json } = contextOf(command);
      const days = options.olderThan === undefined ? undefined : ageInDays(options.olderThan);
      if (days === undefined && !options.namespace) throw new UsageError('say what to purge: --older-than <age> and/or --namespace <ns>');
      const { purgeExecutions: result } = await client.graphql<{ purgeExecutions: { executionIds: string[]; count: number; dryRun: boolean } }>(
        `mutation($days: Int, $ns: String, $states: [State!], $limit: Int, $dry: Boolean) {
           purgeExecutions(olderThanDays: $days, namespace: $ns, states: $states, limit: $limit, dryRun: $dry) { executionIds count dryRun } }`,
        { days, ns: options.namespace, states: options.state?.map((s) => s.toUpperCase()), limit: options.limit, dry: options.dryRun === true },
      );
      if (json) return out.data(result);
      for (const id of result.executionIds) out.line(id);
      out.line(result.dryRun ? `${result.count} execution(s) would be purged (dry run: nothing changed)` : `${result.count} execution(s) purged`);
    });

  program
    .command('audit')
    .description('who did what: the actors of one execution\'s or one namespace\'s events')
    .option('-e, --execution <id>')
    .option('-n, --namespace <namespace>')
    .option('--first <n>', 'entries (default 50)', (v) => Number(v))
    .option('--after <cursor>')
    .action(async (options: { execution?: string; namespace?: string; first?: number; after?: string }, command: Command) => {
      const { client, out, json } = contextOf(command);
      if (!options.execution === !options.namespace) throw new UsageError('give one of --execution <id> or --namespace <ns>');
      const { audit } = await client.graphql<{ audit: Array<{ at: string; actor: string; action: string; executionId?: string; flowId?: string; revision: number; cursor: string }> }>(
        `query($e: ID, $n: String, $first: Int, $after: String) { audit(executionId: $e, namespace: $n, first: $first, after: $after) { at actor action executionId flowId revision cursor } }`,
        { e: options.execution, n: options.namespace, first: options.first, after: options.after },
      );
      if (json) return out.data(audit);
      out.table(['at', 'actor', 'action', 'execution', 'flow', 'rev'], audit.map((a) => [a.at, a.actor, a.action, a.executionId ?? '', a.flowId ?? '', String(a.revision)]));
    });
}

/** `30d`, `12h`, `90m` or a bare number of days, rounded up to whole days (the API's unit). */
export function ageInDays(text: string): number {
  const match = /^(\d+)\s*([dhm]?)$/i.exec(text.trim());
  if (!match) throw new UsageError(`--older-than "${text}": use a number of days, or 30d, 12h, 90m`);
  const n = Number(match[1]);
  const unit = (match[2] || 'd').toLowerCase();
  return unit === 'd' ? n : Math.ceil(n / (unit === 'h' ? 24 : 1440));
}
