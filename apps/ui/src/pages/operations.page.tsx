import { Paper, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { DeadLettersPanel } from '../operations/dead-letters-panel.js';
import { ProjectionsPanel } from '../operations/projections-panel.js';
import { TriggersPanel } from '../operations/triggers-panel.js';
import { NamedLocksPanel } from '../operations/named-locks-panel.js';

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={id}>
      <Title order={3} size="h4" mb="sm" id={id}>
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/** Triggers (schedules), named locks, projections and dead letters: what keeps Chronicle running. */
export function OperationsPage() {
  return (
    <Stack>
      <Title order={2}>Operations</Title>
      <Section id="triggers-title" title="Triggers">
        <TriggersPanel />
      </Section>
      <Section id="locks-title" title="Named locks">
        <NamedLocksPanel />
      </Section>
      <Section id="projections-title" title="Projections">
        <ProjectionsPanel />
      </Section>
      <Section id="dead-letters-title" title="Dead letters">
        <DeadLettersPanel />
      </Section>
    </Stack>
  );
}
