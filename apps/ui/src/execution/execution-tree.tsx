import { Anchor, Badge, Group, Paper, Table, Text } from '@mantine/core';
import { useEffect } from 'react';
import { Link } from 'react-router-dom';
import { EXECUTION_TREE } from '../api/operations.js';
import { TERMINAL_STATES, type TreeNode } from '../api/types.js';
import { ErrorPanel } from '../components/error-panel.js';
import { durationBetween, shortId } from '../components/format.js';
import { StateBadge } from '../components/state-badge.js';
import { useApiQuery } from '../hooks/use-api-query.js';
import { treeRows } from './execution-tree-model.js';

interface TreeAnswer {
  execution: { id: string; parentId?: string | null; topExecution: TreeNode & { descendants: TreeNode[] } } | null;
}

/** A child's id extends its parent's (`<parent>.subflow.<n>`...): the part that tells siblings apart. */
const label = (node: TreeNode): string =>
  node.parentId && node.id.startsWith(node.parentId) && node.id.length > node.parentId.length ? `…${node.id.slice(node.parentId.length)}` : shortId(node.id);

/**
 * The execution tree this execution belongs to (Cloudomation's parent / children): the top
 * execution and every descendant with its state, this one marked. Read again at each revision
 * of the shown execution (a child it starts appears as it runs), and every few seconds while an
 * execution of the tree is still running (a grandchild's end is not an event of this one).
 */
export function ExecutionTree({ executionId, revision }: { executionId: string; revision: number }) {
  const tree = useApiQuery<TreeAnswer>(EXECUTION_TREE, { id: executionId, at: revision });
  const top = tree.data?.execution?.topExecution;
  const running = top ? [top, ...top.descendants].some((n) => !TERMINAL_STATES.has(n.state)) : false;
  const { reload } = tree;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(reload, 3_000);
    return () => clearInterval(timer);
  }, [running, reload]);
  if (tree.error) return <ErrorPanel title="The execution tree could not be loaded" message={tree.error} />;
  if (!top) return null;
  const rows = treeRows(top, top.descendants);
  return (
    <Paper withBorder p="md" data-testid="execution-tree">
      <Text size="sm" mb="xs" c="dimmed">
        {rows.length === 1 ? 'This execution started no other execution.' : `${rows.length} executions in this tree; the top one first, each child under its parent.`}
      </Text>
      <Table aria-label="Execution tree" withRowBorders={false}>
        <Table.Tbody>
          {rows.map(({ node, depth }) => (
            <Table.Tr key={node.id} data-execution={node.id} data-depth={depth} aria-current={node.id === executionId ? 'true' : undefined}>
              <Table.Td style={{ paddingLeft: `calc(${depth} * 1.5rem + 0.5rem)` }}>
                <Group gap={6} wrap="nowrap">
                  {depth > 0 && <Text span c="dimmed" aria-hidden>└</Text>}
                  {node.id === executionId ? (
                    <Text span ff="monospace" fw={700} title={node.id}>{label(node)} (this one)</Text>
                  ) : (
                    <Anchor component={Link} to={`/executions/${node.id}`} ff="monospace" title={node.id}>{label(node)}</Anchor>
                  )}
                  <Text span size="sm">{node.name ? `${node.name} · ` : ''}{node.namespace}.{node.flowId}</Text>
                  {node.mode === 'DEVELOPMENT' && <Badge size="xs" color="grape" variant="light">dev</Badge>}
                </Group>
              </Table.Td>
              <Table.Td><StateBadge state={node.state} size="sm" /></Table.Td>
              <Table.Td><Text size="xs">{durationBetween(node.startDate, node.endDate)}</Text></Table.Td>
              <Table.Td><Text size="xs" c="dimmed">{node.message ?? ''}</Text></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
