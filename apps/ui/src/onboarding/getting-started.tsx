import { Alert, Button, Code, Group, List, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { DEPLOY_FLOW, FLOWS } from '../api/operations.js';
import { errorMessage } from '../api/graphql-client.js';
import type { Flow } from '../api/types.js';
import { useSession } from '../auth/session-context.js';
import { useApiQuery } from '../hooks/use-api-query.js';
import { DEPLOY_EXAMPLES_COMMAND, EXAMPLE_FLOWS } from './example-flows.js';

/**
 * The empty states' next step. With no flow deployed: deploy the example flows (a button, or the one
 * CLI command) or write one. With flows but nothing run yet: run one from the Flows page.
 * `onDeployed` lets the page that shows it reload its own list; `onlyWithoutFlows` shows it on a first run only.
 */
export function GettingStarted({ onDeployed, onlyWithoutFlows }: { onDeployed?: () => void; onlyWithoutFlows?: boolean }) {
  const { client, access } = useSession();
  const flows = useApiQuery<{ flows: Flow[] }>(FLOWS);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  if (!flows.data) return null;

  if (flows.data.flows.length > 0) {
    // The dashboard's empty range says itself how to run a flow; there only a first run needs this panel.
    if (onlyWithoutFlows) return null;
    return (
      <Alert title="Nothing has run yet" color="blue" data-testid="getting-started">
        <Text size="sm">
          Open the flow list (Flows, in the menu) and press <b>Run</b> on one: its execution appears here, live.
        </Text>
      </Alert>
    );
  }

  const deployExamples = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      for (const example of EXAMPLE_FLOWS) await client.request(DEPLOY_FLOW, { source: example.source });
      flows.reload();
      onDeployed?.();
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Alert title="Get started: no flow is deployed yet" color="blue" data-testid="getting-started">
      <Text size="sm">A flow is a YAML list of tasks. To see Chronicle run some:</Text>
      <List size="sm" mt="xs" spacing={4}>
        <List.Item>
          deploy the {EXAMPLE_FLOWS.length} example flows ({EXAMPLE_FLOWS.map((e) => e.file.replace(/\.yml$/, '')).join(', ')}), here or from a terminal
          in the repository with <Code>{DEPLOY_EXAMPLES_COMMAND}</Code>;
        </List.Item>
        <List.Item>then run one from the Flows page and follow it here, live.</List.Item>
      </List>
      {access.canDeploy ? (
        <Group mt="sm">
          <Button onClick={() => void deployExamples()} loading={busy}>
            Deploy the example flows
          </Button>
          <Button component={Link} to="/flows/new" variant="default">
            Write a flow
          </Button>
        </Group>
      ) : (
        <Text size="sm" mt="sm" c="dimmed">
          Deploying needs an EDITOR or ADMIN token.
        </Text>
      )}
      {failure && (
        <Text size="sm" c="red" mt="xs">
          The examples could not be deployed: {failure}
        </Text>
      )}
    </Alert>
  );
}
