import { Badge, Button, Group, Loader, Paper, SegmentedControl, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { lazy, Suspense, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { errorMessage } from '../api/graphql-client.js';
import { FLOW, FLOW_LIFECYCLE, FLOW_REVISIONS, RUN_DRAFT } from '../api/operations.js';
import type { Flow } from '../api/types.js';
import { useSession } from '../auth/session-context.js';
import { ErrorPanel } from '../components/error-panel.js';
import { DashboardPanel } from '../dashboard/dashboard-panel.js';
import { RANGE_LABELS, type RangeChoice } from '../dashboard/dashboard-range.js';
import { DeployIssues } from '../flows/deploy-issues.js';
import { FlowMetricsPanel } from '../flows/flow-metrics-panel.js';
import { RevisionDiff } from '../flows/revision-diff.js';
import { useDeploy } from '../flows/use-deploy.js';
import { YamlEditor } from '../flows/yaml-editor.js';
import { useApiQuery } from '../hooks/use-api-query.js';
import { flowPath } from './flows.page.js';

// dagre and the YAML parser come with the graph, loaded when it is shown.
const FlowGraphPanel = lazy(() => import('../graph/flow-graph-panel.js'));

const DONE = { enableFlow: 'Enabled', disableFlow: 'Disabled', deleteFlow: 'Deleted' } as const;

export function FlowPage() {
  const { namespace = '', id = '' } = useParams();
  const { client, access } = useSession();
  const navigate = useNavigate();
  const flowQuery = useApiQuery<{ flow: Flow | null }>(FLOW, { namespace, id });
  const revisionsQuery = useApiQuery<{ flowRevisions: Flow[] }>(FLOW_REVISIONS, { namespace, id });
  const flow = flowQuery.data?.flow;
  const [source, setSource] = useState('');
  const [focusLine, setFocusLine] = useState<{ line: number; at: number }>();
  const { deploy, issues, message, busy } = useDeploy();
  const [range, setRange] = useState<RangeChoice>('day');
  useEffect(() => setSource(flow?.source ?? ''), [flow?.source]);

  const onDeploy = async () => {
    const deployed = await deploy(source);
    if (!deployed) return;
    notifications.show({ color: 'green', message: `Deployed revision ${deployed.revision}` });
    if (deployed.namespace !== namespace || deployed.id !== id) return navigate(flowPath(deployed));
    flowQuery.reload();
    revisionsQuery.reload();
  };

  // Cloudomation's "Run in dev mode" from the editor: the draft runs as a test, nothing is deployed.
  const [drafting, setDrafting] = useState(false);
  const runDraft = async () => {
    setDrafting(true);
    try {
      const { createExecution } = await client.request<{ createExecution: { id: string } }>(RUN_DRAFT, { namespace, flowId: id, source });
      navigate(`/executions/${createExecution.id}`);
    } catch (error) {
      notifications.show({ color: 'red', title: 'The draft did not start', message: errorMessage(error) });
    } finally {
      setDrafting(false);
    }
  };

  const lifecycle = async (action: 'enableFlow' | 'disableFlow' | 'deleteFlow') => {
    try {
      await client.request(FLOW_LIFECYCLE(action), { namespace, id });
      notifications.show({ color: 'green', message: `${DONE[action]} ${namespace}.${id}` });
      if (action === 'deleteFlow') navigate('/flows');
      else flowQuery.reload();
    } catch (error) {
      notifications.show({ color: 'red', title: 'Not done', message: errorMessage(error) });
    }
  };

  const confirmDelete = () =>
    modals.openConfirmModal({
      title: `Delete ${namespace}.${id}?`,
      children: <Text size="sm">The flow leaves the list and starts no new execution; its revisions stay readable, and deploying it again brings it back.</Text>,
      labels: { confirm: 'Delete', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: () => void lifecycle('deleteFlow'),
    });

  if (flowQuery.error) return <ErrorPanel title="The flow could not be loaded" message={flowQuery.error} />;
  if (!flowQuery.loading && flowQuery.data && !flow) return <ErrorPanel title="Not found" message={`There is no flow ${namespace}.${id}.`} />;

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Group gap="xs">
          <Title order={2}>
            {namespace}.{id}
          </Title>
          {flow && <Badge variant="light">revision {flow.revision}</Badge>}
          {flow?.disabled && <Badge color="gray">disabled</Badge>}
        </Group>
        <Group gap="xs">
          {access.canExecute && flow && !flow.disabled && (
            <Button component={Link} to={`${flowPath(flow)}/run`}>
              Run
            </Button>
          )}
          <Button variant="default" component={Link} to={`/executions?namespace=${encodeURIComponent(namespace)}&flowId=${encodeURIComponent(id)}`}>
            Executions
          </Button>
          {access.canDeploy && flow && (
            <>
              <Button variant="default" onClick={() => lifecycle(flow.disabled ? 'enableFlow' : 'disableFlow')}>
                {flow.disabled ? 'Enable' : 'Disable'}
              </Button>
              <Button variant="light" color="red" onClick={confirmDelete}>
                Delete
              </Button>
            </>
          )}
        </Group>
      </Group>
      {flow?.description && <Text c="dimmed">{flow.description}</Text>}
      <Tabs defaultValue="graph" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="graph">Graph</Tabs.Tab>
          <Tabs.Tab value="source">Source</Tabs.Tab>
          <Tabs.Tab value="activity">Activity</Tabs.Tab>
          <Tabs.Tab value="metrics">Metrics</Tabs.Tab>
          <Tabs.Tab value="revisions">Revisions</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="graph" pt="md">
          <Paper withBorder p="md">
            <Suspense fallback={<Loader size="sm" aria-label="Loading the graph" />}>{flow && <FlowGraphPanel source={flow.source} />}</Suspense>
          </Paper>
        </Tabs.Panel>
        <Tabs.Panel value="source" pt="md">
          <Stack>
            {access.canDeploy && (
              <Group justify="flex-end">
                {access.canExecute && (
                  <Button variant="default" onClick={runDraft} loading={drafting} disabled={!source.trim()} title="A development run of the text in the editor: not deployed, no downstream flow triggers, left out of the default lists">
                    Run draft in dev mode
                  </Button>
                )}
                <Button onClick={onDeploy} loading={busy} disabled={source === flow?.source}>
                  Deploy
                </Button>
              </Group>
            )}
            <DeployIssues message={message} issues={issues} onJump={(line) => setFocusLine({ line, at: Date.now() })} />
            {flow && (
              <SimpleGrid cols={{ base: 1, lg: 2 }}>
                <YamlEditor label="Flow YAML" value={source} onChange={setSource} readOnly={!access.canDeploy} issues={issues} focusLine={focusLine} />
                <Paper withBorder p="xs" data-testid="editor-graph">
                  <Suspense fallback={<Loader size="sm" aria-label="Loading the graph" />}>
                    <FlowGraphPanel source={source} />
                  </Suspense>
                </Paper>
              </SimpleGrid>
            )}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="activity" pt="md">
          <Stack>
            <SegmentedControl aria-label="Time range" value={range} onChange={(v) => setRange(v as RangeChoice)} w="fit-content"
              data={Object.entries(RANGE_LABELS).filter(([v]) => v !== 'custom').map(([value, label]) => ({ value, label }))} />
            <DashboardPanel choice={range} namespace={namespace} flowId={id} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="metrics" pt="md">
          <FlowMetricsPanel namespace={namespace} flowId={id} />
        </Tabs.Panel>
        <Tabs.Panel value="revisions" pt="md">
          <ErrorPanel title="Revisions could not be loaded" message={revisionsQuery.error} />
          <RevisionDiff revisions={revisionsQuery.data?.flowRevisions ?? []} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
