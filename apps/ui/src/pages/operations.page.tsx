import { Paper, Stack, Text, Title } from '@mantine/core';
import { useSession } from '../auth/session-context.js';
import { NotAvailable } from '../components/error-panel.js';
import { DeclaredSchedules } from '../operations/declared-schedules.js';
import { DynamicAction } from '../operations/dynamic-action.js';
import { DynamicListPanel } from '../operations/dynamic-list-panel.js';
import { ProjectionsPanel } from '../operations/projections-panel.js';

const enabled = (row: Record<string, unknown>) => (row.enabled !== undefined ? row.enabled === true : row.disabled !== true);

/** Triggers (schedules), projections and dead letters: what keeps Chronicle running. */
export function OperationsPage() {
  const { access, surface } = useSession();
  return (
    <Stack>
      <Title order={2}>Operations</Title>
      <Paper withBorder p="md" component="section" aria-labelledby="triggers-title">
        <Title order={3} size="h4" mb="sm" id="triggers-title">
          Triggers
        </Title>
        <DynamicListPanel
          queries={['triggers', 'schedules', 'triggerStates']}
          title="Triggers"
          actions={[
            { label: 'Disable', mutations: ['disableTrigger'], when: enabled, allowed: access.canDeploy || access.canExecute },
            { label: 'Enable', mutations: ['enableTrigger'], when: (r) => !enabled(r), allowed: access.canDeploy || access.canExecute },
            { label: 'Backfill', mutations: ['backfillTrigger', 'backfillSchedule', 'backfill'], allowed: access.canExecute },
          ]}
          renderAction={(action, mutation, row, reload) => <DynamicAction mutation={surface.mutations.get(mutation)!} row={row} label={action.label} color={action.color} onDone={reload} />}
          fallback={
            <Stack>
              <NotAvailable feature="Trigger state" detail="This server's API has no triggers query yet: next and last fire times, enable/disable and backfill appear here once it does. The triggers declared in flows:" />
              <DeclaredSchedules />
            </Stack>
          }
        />
      </Paper>
      <Paper withBorder p="md" component="section" aria-labelledby="projections-title">
        <Title order={3} size="h4" mb="sm" id="projections-title">
          Projections
        </Title>
        <ProjectionsPanel />
      </Paper>
      <Paper withBorder p="md" component="section" aria-labelledby="dead-letters-title">
        <Title order={3} size="h4" mb="sm" id="dead-letters-title">
          Dead letters
        </Title>
        <DynamicListPanel
          queries={['deadLetters', 'deadLetterMessages']}
          title="Dead letters"
          actions={[{ label: 'Redrive', mutations: ['redriveDeadLetter', 'redriveDeadLetters', 'redrive'], allowed: access.canAdmin }]}
          renderAction={(action, mutation, row, reload) => <DynamicAction mutation={surface.mutations.get(mutation)!} row={row} label={action.label} onDone={reload} />}
          fallback={<NotAvailable feature="Dead letters" detail="This server's API does not expose dead letters (messages that could not be used go to the .dlq topics): listing, inspecting and redriving them appears here once it does." />}
        />
        {!surface.introspected && <Text size="xs" c="dimmed">GraphQL introspection is off on this server, so optional features cannot be detected.</Text>}
      </Paper>
    </Stack>
  );
}
