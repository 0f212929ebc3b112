import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type * as G from '@chronicle/client/graphql';
import type { Command } from 'commander';
import { UsageError } from '../settings.js';
import { contextOf } from './context.js';

const FLOW_FIELDS = 'namespace id revision disabled deleted deployedAt description';
/** What the commands select of a flow (the schema's `Flow`, generated from schema.graphql). */
type FlowRow = Pick<G.Flow, 'namespace' | 'id' | 'revision' | 'disabled' | 'deleted' | 'deployedAt' | 'description'>;

/** The YAML files a path names: the file itself, or the .yml/.yaml files of a directory (recursively). */
export function flowFiles(path: string): string[] {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`${path} does not exist`);
  if (stat.isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return flowFiles(child);
      return ['.yml', '.yaml'].includes(extname(entry.name)) ? [child] : [];
    });
}

export function registerFlows(program: Command): void {
  const flows = program.command('flows').description('deploy and list flows');

  flows
    .command('deploy')
    .description('deploy a flow file, or every .yml/.yaml file of a directory')
    .argument('<path>', 'a YAML file or a directory')
    .action(async (path: string, _options, command: Command) => {
      const { client, out, json } = contextOf(command);
      const files = flowFiles(path);
      if (files.length === 0) throw new UsageError(`no .yml or .yaml file in ${path}`);
      const deployed: Array<{ file: string } & FlowRow> = [];
      for (const file of files) {
        const { deployFlow } = await client.graphql<{ deployFlow: FlowRow }>(
          `mutation($source: String!) { deployFlow(source: $source) { ${FLOW_FIELDS} } }`,
          { source: readFileSync(file, 'utf8') },
        );
        deployed.push({ file, ...deployFlow });
      }
      if (json) return out.data(deployed);
      out.table(['file', 'namespace', 'flow', 'revision'], deployed.map((f) => [f.file, f.namespace, f.id, f.revision]));
    });

  flows
    .command('list')
    .description('the latest revision of every flow')
    .option('-n, --namespace <namespace>', 'this namespace and its children')
    .action(async (options: { namespace?: string }, command: Command) => {
      const { client, out, json } = contextOf(command);
      const { flows: list } = await client.graphql<{ flows: FlowRow[] }>(
        `query($namespace: String) { flows(namespace: $namespace) { ${FLOW_FIELDS} } }`,
        { namespace: options.namespace },
      );
      if (json) return out.data(list);
      out.table(['namespace', 'flow', 'revision', 'status', 'deployed', 'description'], list.map((f) => [
        f.namespace, f.id, f.revision, f.disabled ? 'disabled' : 'enabled', f.deployedAt, f.description,
      ]));
    });
}
