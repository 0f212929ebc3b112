/** Chronicle's own topic prefix unless CHRONICLE_TOPIC_PREFIX says otherwise. */
export const DEFAULT_TOPIC_PREFIX = 'chronicle';

/** The consumer group a Kafka trigger gets when its flow names none (as parsed; see kafkaTriggerConsumerGroup). */
export const defaultKafkaTriggerGroup = (triggerId: string): string => `chronicle-trigger-${triggerId}`;

/**
 * The consumer group a Kafka trigger consumes in. A trigger without a `groupId` of its own gets one
 * of its flow alone (`chronicle-trigger-<namespace>/<flowId>/<triggerId>`; `/` is in no namespace):
 * two flows whose triggers share an id and a topic must each get every message. With the parsed
 * default (`chronicle-trigger-<id>`) as their group, they split the messages, and a flow of another
 * namespace could take a team's messages away just by naming its trigger the same (issue 18).
 */
export const kafkaTriggerConsumerGroup = (namespace: string, flowId: string, trigger: { readonly id: string; readonly groupId: string }): string =>
  trigger.groupId === defaultKafkaTriggerGroup(trigger.id) ? `chronicle-trigger-${namespace}/${flowId}/${trigger.id}` : trigger.groupId;

/**
 * Why a flow's Kafka trigger may not use this topic or consumer group, or undefined when it may.
 * Chronicle's own topics (`<prefix>.commands`, `.tasks`, `.logs`, `.updates`, `.triggers`, their
 * `.dlq`...) carry every namespace's data: a flow reading them would see other namespaces' logs
 * and task properties, and one joining Chronicle's consumer groups (`<prefix>.<group>`, or any
 * `chronicle-…` name but its own default) would take their messages away from the services.
 */
export function reservedKafkaNameIssue(
  trigger: { readonly id: string; readonly topic: string; readonly groupId: string },
  prefix: string = DEFAULT_TOPIC_PREFIX,
): { field: 'topic' | 'groupId'; message: string } | undefined {
  const reserved = (name: string) => name === prefix || name.startsWith(`${prefix}.`);
  if (reserved(trigger.topic)) {
    return { field: 'topic', message: `topic "${trigger.topic}" is one of Chronicle's own topics (prefix "${prefix}."); a flow may not read them: use a topic of your own` };
  }
  // The services' groups: `<prefix>.<name>` on Kafka, `chronicle-<name>` as such in process and for
  // the dead-letter readers; a trigger's own default `chronicle-trigger-<id>` is its to use.
  const ownDefault = trigger.groupId === defaultKafkaTriggerGroup(trigger.id);
  if (reserved(trigger.groupId) || (trigger.groupId.startsWith(`${DEFAULT_TOPIC_PREFIX}-`) && !ownDefault)) {
    return { field: 'groupId', message: `consumer group "${trigger.groupId}" is reserved for Chronicle's services (names starting with "${prefix}." or "${DEFAULT_TOPIC_PREFIX}-"); choose another groupId or leave it out` };
  }
  return undefined;
}
