import type { Command } from 'commander';
import type * as G from '@chronicle/client/graphql';
import { dim, state } from '../output.js';
import { UsageError } from '../settings.js';
import { contextOf } from './context.js';

// The shape comes from schema.graphql through the SDK's generated types (no hand copy).
type Node = Pick<G.Execution, 'id' | 'namespace' | 'flowId' | 'state' | 'parentId'>;
const NODE = 'id namespace flowId state parentId';

/**
 * `executions tree <id>`: the whole tree the execution belongs to (Cloudomation's parent, top and
 * children), from its top execution down, each execution indented under its parent with its
 * state; the asked one is marked.
 */
export function registerTree(executions: Command): void {
  executions
    .command('tree')
    .description('the execution tree it belongs to: its top execution and every descendant, with their states')
    .argument('<id>')
    .action(async (id: string, _options, command: Command) => {
      const { client, out, json } = contextOf(command);
      const { execution } = await client.graphql<{ execution: { topExecution: Node & { descendants: Node[] } } | null }>(
        `query($id: ID!) { execution(id: $id) { topExecution { ${NODE} descendants { ${NODE} } } } }`, { id });
      if (!execution) throw new UsageError(`execution ${id} does not exist`);
      const { descendants, ...top } = execution.topExecution;
      if (json) return out.data({ top, descendants });
      const depth = new Map<string, number>([[top.id, 0]]);
      for (const d of descendants) depth.set(d.id, (depth.get(d.parentId ?? '') ?? 0) + 1);
      // Descendants come breadth first: print depth first, each child under its parent.
      const print = (node: Node) => {
        out.line(`${'  '.repeat(depth.get(node.id) ?? 0)}${node.id}  ${node.namespace}.${node.flowId}  ${state(node.state)}${node.id === id ? dim('  ← this one') : ''}`);
        for (const child of descendants.filter((d) => d.parentId === node.id)) print(child);
      };
      print(top);
    });
}
