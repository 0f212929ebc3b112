import { flowStreamId, FlowValidationError, kafkaOwnershipIssue, mayStartFlowIn, parseFlow, parseNamespaceAllow, parseTriggers, reservedKafkaNameIssue, FLOW_EVENT_SCHEMA_VERSION, type FlowDefinition, type FlowRevisionDeployed } from '@chronicle/domain';
import { NO_STREAM, type EventStore } from '@chronicle/event-store';
import { newId, type Clock } from '@chronicle/runtime';
import type { FlowRepository } from './flow-repository.js';
import { latestFlows, wrapperChain } from './wrappers/wrapper-chain.js';
import { kafkaOwnershipPolicy, type KafkaNameSettings } from './kafka-ownership-policy.js';

export interface DeployedFlow {
  readonly definition: FlowDefinition;
  readonly source: string;
  readonly revision: number;
  /** False when the source equals the latest revision's: nothing was written. */
  readonly created: boolean;
  /** Log position of the new revision's event (undefined when nothing was written). */
  readonly position?: bigint;
}

/**
 * Validates the YAML (FlowValidationError lists every problem with its line) and appends
 * a new revision unless the source is unchanged (and the flow not deleted: deploying a
 * deleted flow brings it back as a new revision). Two concurrent deploys of one flow
 * cannot both take the same revision: the append expects the stream revision it read.
 */
export async function deployFlow(
  deps: { store: EventStore; flows: FlowRepository; clock: Clock; config?: KafkaNameSettings },
  source: string,
  actor?: string,
): Promise<DeployedFlow> {
  const parsed = parseFlow(source, deps.flows.taskTypes, 0);
  assertNoReservedKafkaNames(parsed, deps.config);
  // A wrapper cycle through flows deployed already (a wraps b wraps a) is refused, naming the field.
  // Wrappers in namespaces the flow may not reach are not looked up (their start is refused): the
  // deploy answers the same whether another namespace has such a flow or not.
  if (parsed.wrappers !== undefined) {
    const allow = parseNamespaceAllow(deps.config?.namespaceAllow);
    await wrapperChain(latestFlows(deps.flows, parsed), parsed, {}, 'skip', 'wrappers', (ns) => mayStartFlowIn(parsed.namespace, ns, allow));
  }
  const head = await deps.flows.head(parsed.namespace, parsed.id);
  if (head && head.latest.source === source && !head.status.deleted) {
    return { definition: head.latest.definition, source, revision: head.latest.revision, created: false };
  }
  const revision = (head?.latest.revision ?? 0) + 1;
  const definition = parseFlow(source, deps.flows.taskTypes, revision);
  const now = deps.clock.now();
  const event: FlowRevisionDeployed = {
    type: 'FlowRevisionDeployed',
    data: {
      namespace: definition.namespace,
      flowId: definition.id,
      revision,
      source,
      definition: definition as never,
      ...(head?.status.disabled ? { disabled: true } : {}),
      at: now,
    },
  };
  const result = await deps.store.append(
    flowStreamId(definition.namespace, definition.id),
    [{ id: newId(), type: event.type, data: event.data, metadata: { schemaVersion: FLOW_EVENT_SCHEMA_VERSION, occurredAt: now, actor } }],
    head ? head.streamRevision : NO_STREAM,
  );
  deps.flows.forget(definition.namespace, definition.id);
  return { definition, source, revision, created: true, position: result.position };
}

/**
 * The parser refuses the well-known `chronicle.` names; this refuses the configured prefix's too,
 * and, where namespaces are isolated, topics and consumer groups the flow's namespace does not own.
 * `readerReaches`: which namespaces' prefix grants the messages may name (see kafkaOwnershipIssue);
 * every one when the reader may deploy the flow (a deploy) or is not limited.
 */
export function assertNoReservedKafkaNames(flow: FlowDefinition, settings: KafkaNameSettings | undefined, readerReaches?: (grantedTo: string) => boolean): void {
  if (settings === undefined) return;
  const policy = kafkaOwnershipPolicy(settings);
  const issues = parseTriggers(flow.triggers).triggers.flatMap((t, index) => {
    const issue = t.kind === 'Kafka' ? (reservedKafkaNameIssue(t, settings.topicPrefix) ?? kafkaOwnershipIssue(flow.namespace, t, policy, readerReaches)) : undefined;
    return issue ? [{ path: `triggers[${index}].${issue.field}`, message: issue.message }] : [];
  });
  if (issues.length > 0) throw new FlowValidationError(issues);
}
