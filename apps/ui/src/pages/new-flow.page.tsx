import { Button, Group, Loader, Paper, SimpleGrid, Stack, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { lazy, Suspense, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { DeployIssues } from '../flows/deploy-issues.js';
import { useDeploy } from '../flows/use-deploy.js';
import { YamlEditor } from '../flows/yaml-editor.js';
import { flowPath } from './flows.page.js';

const FlowGraphPanel = lazy(() => import('../graph/flow-graph-panel.js'));

const TEMPLATE = `id: hello
namespace: company.team
description: A first flow

inputs:
  - id: name
    type: STRING
    defaults: world

tasks:
  - id: greet
    type: Log
    message: "Hello {{ inputs.name }}"
`;

export function NewFlowPage() {
  const [source, setSource] = useState(TEMPLATE);
  const [focusLine, setFocusLine] = useState<{ line: number; at: number }>();
  const { deploy, issues, message, busy } = useDeploy();
  const navigate = useNavigate();

  const submit = async () => {
    const flow = await deploy(source);
    if (!flow) return;
    notifications.show({ color: 'green', message: `Deployed ${flow.namespace}.${flow.id} revision ${flow.revision}` });
    navigate(flowPath(flow));
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>New flow</Title>
        <Button onClick={submit} loading={busy}>
          Deploy
        </Button>
      </Group>
      <DeployIssues message={message} issues={issues} onJump={(line) => setFocusLine({ line, at: Date.now() })} />
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <YamlEditor label="Flow YAML" value={source} onChange={setSource} issues={issues} focusLine={focusLine} />
        <Paper withBorder p="xs" data-testid="editor-graph">
          <Suspense fallback={<Loader size="sm" aria-label="Loading the graph" />}>
            <FlowGraphPanel source={source} />
          </Suspense>
        </Paper>
      </SimpleGrid>
    </Stack>
  );
}
