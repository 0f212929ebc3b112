import type { Command } from 'commander';
import type * as G from '@chronicle/client/graphql';
import { dim } from '../output.js';
import { contextOf } from './context.js';

// The shapes come from schema.graphql through the SDK's generated types (no hand copies).
type LockHolder = Pick<G.LockHolder, 'executionId' | 'namespace' | 'flowId' | 'names' | 'priority' | 'since'> & Partial<Pick<G.LockHolder, 'taskRunId'>>;
type NamedLock = Pick<G.NamedLock, 'name' | 'namespace'> & { holder?: LockHolder | null; waiters: LockHolder[] };

const HOLDER = 'executionId taskRunId namespace flowId names priority since';
const who = (h: LockHolder): string => `${h.namespace}.${h.flowId} ${h.executionId}${h.taskRunId ? ` (task run ${h.taskRunId})` : ''}`;

/** `chronicle locks list|release`: named locks (flow or task `locks:`), their holders and waiters. */
export function registerLocks(program: Command): void {
  const locks = program.command('locks').description('named locks: who holds them, who waits, force-release (ADMIN)');

  locks
    .command('list')
    .description('locks held or waited for, with the holder and the waiters in queue order')
    .option('--name <name>', 'only this lock')
    .option('--namespace <namespace>', 'only the locks of this namespace (locks are per namespace)')
    .action(async (options: { name?: string; namespace?: string }, command: Command) => {
      const { client, out, json } = contextOf(command);
      const { namedLocks } = await client.graphql<{ namedLocks: NamedLock[] }>(
        `query($name: String, $namespace: String) { namedLocks(name: $name, namespace: $namespace) { name namespace holder { ${HOLDER} } waiters { ${HOLDER} } } }`,
        { name: options.name, namespace: options.namespace },
      );
      if (json) return out.data(namedLocks);
      // A lock is its namespace's: the holder and waiters (namespace.flow) show which.
      out.table(['lock', 'held by', 'since', 'waiting'], namedLocks.map((l) => [
        l.name, l.holder ? who(l.holder) : '-', l.holder?.since, l.waiters.map(who).join('; ') || '-',
      ]));
      out.line(dim(`${namedLocks.length} lock(s)`));
    });

  locks
    .command('release')
    .description('force-release a lock (ignore_lock): its holder goes on without it, the next waiter gets it')
    .argument('<name>')
    .option('--namespace <namespace>', 'the lock\'s namespace (needed when several of yours hold a lock of that name)')
    .action(async (name: string, options: { namespace?: string }, command: Command) => {
      const { client, out, json } = contextOf(command);
      const { releaseLock } = await client.graphql<{ releaseLock: { name: string; previousHolder: LockHolder; grantedTo: string[] } }>(
        `mutation($name: String!, $namespace: String) { releaseLock(name: $name, namespace: $namespace) { name previousHolder { ${HOLDER} } grantedTo } }`,
        { name, namespace: options.namespace },
      );
      if (json) return out.data(releaseLock);
      out.line(`${releaseLock.name} released from ${who(releaseLock.previousHolder)}${releaseLock.grantedTo.length > 0 ? `; granted to ${releaseLock.grantedTo.join(', ')}` : ''}`);
    });
}
