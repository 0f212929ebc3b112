import { Anchor, Badge, Group, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import type { FlowRef } from '../api/execution-model.operations.js';
import type { Execution } from '../api/types.js';
import { shortId } from '../components/format.js';

const RUN_WRAPPED = 'io.chronicle.wrapper.RunWrapped';
const name = (f: FlowRef) => `${f.namespace}.${f.flowId}`;

/**
 * The wrapper nesting of an execution (Cloudomation's wrappers): a wrapper execution shows the
 * layers it runs around, outermost first, down to the wrapped flow; a layer started by a wrapper
 * links back to it. Each layer is the child of the one around it (the execution tree).
 */
export function WrapperNesting({ execution, wraps }: { execution: Execution; wraps: (FlowRef & { innerWrappers: FlowRef[] }) | null | undefined }) {
  const trigger = execution.trigger as { type?: string; variables?: { executionId?: string; namespace?: string; flowId?: string } } | null | undefined;
  const wrappedBy = trigger?.type === RUN_WRAPPED ? trigger.variables : undefined;
  if (!wraps && !wrappedBy) return null;
  return (
    <Group gap={6} data-testid="wrapper-nesting" wrap="wrap">
      {wrappedBy?.executionId && (
        <Text size="sm">
          Run by wrapper{' '}
          <Anchor component={Link} to={`/executions/${wrappedBy.executionId}`} ff="monospace">
            {wrappedBy.namespace}.{wrappedBy.flowId} {shortId(wrappedBy.executionId)}
          </Anchor>
          {wraps ? ' ·' : ''}
        </Text>
      )}
      {wraps && (
        <>
          <Text size="sm">Wraps:</Text>
          <Badge variant="filled" color="grape" title="this execution">{execution.namespace}.{execution.flowId}</Badge>
          {wraps.innerWrappers.map((w, i) => (
            <Group gap={6} key={`${name(w)}-${i}`}>
              <Text size="sm">›</Text>
              <Badge variant="light" color="grape">{name(w)}</Badge>
            </Group>
          ))}
          <Text size="sm">›</Text>
          <Badge variant="outline" data-testid="wrapped-flow">{name(wraps)}</Badge>
        </>
      )}
    </Group>
  );
}
