import { Badge, Button, Group, ScrollArea, Table, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { errorMessage } from '../api/graphql-client.js';
import { PROJECTIONS, PROJECTIONS_WITH_REBUILD, REBUILD_PROJECTION } from '../api/operations.js';
import type { ProjectionRebuild, ProjectionStatus } from '../api/types.js';
import { useSession } from '../auth/session-context.js';
import { ErrorPanel } from '../components/error-panel.js';
import { formatDate, formatDuration } from '../components/format.js';
import { useApiQuery } from '../hooks/use-api-query.js';

const STATE_COLOR = { LIVE: 'green', CATCHING_UP: 'blue', STALLED: 'red' } as const;
const running = (r: ProjectionRebuild | null | undefined) => Boolean(r && !['DONE', 'FAILED'].includes(r.state));

function RebuildCell({ rebuild }: { rebuild: ProjectionRebuild | null | undefined }) {
  if (!rebuild) return <>—</>;
  const color = rebuild.state === 'FAILED' ? 'red' : rebuild.state === 'DONE' ? 'green' : 'blue';
  return (
    <Text size="xs" title={rebuild.error ?? undefined}>
      <Badge size="xs" color={color}>{rebuild.state}</Badge> {rebuild.eventsProjected} events
      {running(rebuild) && rebuild.etaSeconds != null ? ` · ${formatDuration(rebuild.etaSeconds * 1000)} left` : ''}
      {rebuild.finishedAt ? ` · ${formatDate(rebuild.finishedAt)}` : ''}
    </Text>
  );
}

/** Read-model projections: checkpoint, head, lag; rebuild (ADMIN) with its progress, where the server offers it. */
export function ProjectionsPanel() {
  const { client, access, surface } = useSession();
  const rebuildable = surface.hasMutation('rebuildProjection');
  const { data, error, reload, loading } = useApiQuery<{ projections: ProjectionStatus[] }>(rebuildable ? PROJECTIONS_WITH_REBUILD : PROJECTIONS, {}, !surface.hasQuery('projections'));
  const projections = data?.projections ?? [];
  const anyRunning = projections.some((p) => running(p.rebuild));

  // No subscription reports projections: refresh while a rebuild runs.
  useEffect(() => {
    if (!anyRunning) return;
    const timer = setInterval(reload, 3000);
    return () => clearInterval(timer);
  }, [anyRunning, reload]);

  const confirmRebuild = (name: string) =>
    modals.openConfirmModal({
      title: `Rebuild ${name}?`,
      children: <Text size="sm">The whole log is replayed into shadow tables while the live ones keep serving, then swapped in.</Text>,
      labels: { confirm: 'Rebuild', cancel: 'Cancel' },
      onConfirm: async () => {
        try {
          await client.request(REBUILD_PROJECTION, { name });
          notifications.show({ color: 'green', message: `Rebuild of ${name} requested` });
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
        <Table striped miw={760} aria-label="Projections" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Projection</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Position</Table.Th>
              <Table.Th>Head</Table.Th>
              <Table.Th>Lag</Table.Th>
              <Table.Th>Errors</Table.Th>
              <Table.Th>Updated</Table.Th>
              {rebuildable && <Table.Th>Rebuild</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {projections.map((p) => (
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
                {rebuildable && (
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <RebuildCell rebuild={p.rebuild} />
                      {access.canAdmin && !running(p.rebuild) && (
                        <Button size="compact-xs" variant="light" color="orange" onClick={() => confirmRebuild(p.name)} aria-label={`Rebuild ${p.name}`}>
                          Rebuild
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </>
  );
}
