import { Badge, Button, Group, ScrollArea, Table, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { errorMessage } from '../api/graphql-client.js';
import { PROJECTIONS } from '../api/operations.js';
import type { ProjectionStatus } from '../api/types.js';
import { useSession } from '../auth/session-context.js';
import { ErrorPanel } from '../components/error-panel.js';
import { formatDate } from '../components/format.js';
import { useApiQuery } from '../hooks/use-api-query.js';
import { returnsScalar } from './dynamic-api.js';

const STATE_COLOR = { LIVE: 'green', CATCHING_UP: 'blue', STALLED: 'red' } as const;
const REBUILD = ['rebuildProjection', 'rebuildProjections', 'rebuildReadModel'];

/** Read-model projections: checkpoint, head, lag; rebuild for ADMIN where the API offers it. */
export function ProjectionsPanel() {
  const { client, access, surface } = useSession();
  const { data, error, reload, loading } = useApiQuery<{ projections: ProjectionStatus[] }>(PROJECTIONS, {}, !surface.hasQuery('projections'));
  const rebuild = access.canAdmin ? surface.firstMutation(...REBUILD) : undefined;
  const rebuildArg = rebuild ? surface.mutations.get(rebuild)!.args[0]?.name : undefined;

  const confirmRebuild = (name: string) =>
    modals.openConfirmModal({
      title: `Rebuild ${name}?`,
      children: <Text size="sm">The read model is built again from the event log; lists may lag until it is LIVE again.</Text>,
      labels: { confirm: 'Rebuild', cancel: 'Cancel' },
      onConfirm: async () => {
        try {
          await client.request(`mutation Rebuild${rebuildArg ? '($name: String!)' : ''} { ${rebuild}${rebuildArg ? `(${rebuildArg}: $name)` : ''}${returnsScalar(surface.mutations.get(rebuild!)!) ? '' : ' { __typename }'} }`, { name });
          notifications.show({ color: 'green', message: `Rebuild of ${name} started` });
          reload();
        } catch (e) {
          notifications.show({ color: 'red', title: 'Not rebuilt', message: errorMessage(e) });
        }
      },
    });

  if (!surface.hasQuery('projections')) return <Text c="dimmed">This server does not report projections.</Text>;
  return (
    <>
      <ErrorPanel title="Projections could not be loaded" message={error} />
      <Group justify="flex-end" mb="xs">
        <Button size="compact-sm" variant="default" onClick={reload} loading={loading}>
          Refresh
        </Button>
      </Group>
      <ScrollArea>
        <Table striped miw={640} aria-label="Projections" fz="sm" data-testid="projections">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Projection</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Position</Table.Th>
              <Table.Th>Head</Table.Th>
              <Table.Th>Lag</Table.Th>
              <Table.Th>Errors</Table.Th>
              <Table.Th>Updated</Table.Th>
              {rebuild && <Table.Th>Actions</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(data?.projections ?? []).map((p) => (
              <Table.Tr key={p.name}>
                <Table.Td>{p.name}</Table.Td>
                <Table.Td>
                  <Badge color={STATE_COLOR[p.state]} size="sm">{p.state}</Badge>
                </Table.Td>
                <Table.Td ff="monospace">{p.position}</Table.Td>
                <Table.Td ff="monospace">{p.headPosition ?? '—'}</Table.Td>
                <Table.Td>
                  {p.lagEvents} events · {p.lagSeconds.toFixed(1)} s
                </Table.Td>
                <Table.Td>{p.errors}</Table.Td>
                <Table.Td>{formatDate(p.updatedAt)}</Table.Td>
                {rebuild && (
                  <Table.Td>
                    <Button size="compact-xs" variant="light" color="orange" onClick={() => confirmRebuild(p.name)}>
                      Rebuild
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      {!rebuild && access.canAdmin && <Text size="xs" c="dimmed" mt="xs">Rebuilding from the UI needs a rebuild mutation, which this server's API does not offer.</Text>}
    </>
  );
}
