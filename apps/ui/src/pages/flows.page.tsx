import { Anchor, Badge, Button, Group, ScrollArea, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { FLOWS } from '../api/operations.js';
import type { Flow } from '../api/types.js';
import { useSession } from '../auth/session-context.js';
import { ErrorPanel } from '../components/error-panel.js';
import { formatDate } from '../components/format.js';
import { useApiQuery } from '../hooks/use-api-query.js';
import { GettingStarted } from '../onboarding/getting-started.js';

export const flowPath = (f: { namespace: string; id: string }) => `/flows/${encodeURIComponent(f.namespace)}/${encodeURIComponent(f.id)}`;

export function FlowsPage() {
  const { access } = useSession();
  const [search, setSearch] = useState('');
  const { data, error, loading, reload } = useApiQuery<{ flows: Flow[] }>(FLOWS);
  const flows = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const all = data?.flows ?? [];
    return needle ? all.filter((f) => `${f.namespace}.${f.id} ${f.description ?? ''}`.toLowerCase().includes(needle)) : all;
  }, [data, search]);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Flows</Title>
        {access.canDeploy && (
          <Button component={Link} to="/flows/new">
            New flow
          </Button>
        )}
      </Group>
      <TextInput label="Search flows" placeholder="namespace, id or description" value={search} onChange={(e) => setSearch(e.currentTarget.value)} maw={420} type="search" />
      <ErrorPanel title="Flows could not be loaded" message={error} />
      <ScrollArea>
        <Table striped highlightOnHover miw={560} aria-label="Flows">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Namespace</Table.Th>
              <Table.Th>Flow</Table.Th>
              <Table.Th>Revision</Table.Th>
              <Table.Th>Deployed</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {flows.map((f) => (
              <Table.Tr key={`${f.namespace}/${f.id}`}>
                <Table.Td>{f.namespace}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={flowPath(f)}>
                    {f.id}
                  </Anchor>{' '}
                  {f.disabled && <Badge color="gray" size="xs">disabled</Badge>}
                  {f.description && (
                    <Text size="xs" c="dimmed" lineClamp={1}>
                      {f.description}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{f.revision}</Table.Td>
                <Table.Td>{formatDate(f.deployedAt)}</Table.Td>
                <Table.Td>
                  {access.canExecute && !f.disabled && (
                    <Button size="compact-xs" variant="light" component={Link} to={`${flowPath(f)}/run`} aria-label={`Run ${f.namespace}.${f.id}`}>
                      Run
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      {!loading && flows.length === 0 && !error && (search ? <Text c="dimmed">No flow matches.</Text> : <GettingStarted onDeployed={reload} />)}
    </Stack>
  );
}
