import { CodedError } from '@chronicle/errors';
import { mayStartFlowIn, type NamespaceAllowRule } from '../namespace/namespace-access.js';
import { defaultKafkaTriggerGroup } from './kafka-reserved-names.js';

/**
 * Which Kafka topics and consumer groups a namespace's `Kafka` triggers may use, the way a Kafka
 * cluster shared by teams is usually run: prefixed ACLs, one prefix per team. A namespace owns
 * the names starting with `<namespace>.` (so `teamA` owns `teamA.orders`, and its child
 * `teamA.sub` owns `teamA.sub.events`), plus the prefixes CHRONICLE_KAFKA_NAMESPACE_PREFIXES gives
 * it. A flow may use what its own namespace owns, what its children own, and what a namespace
 * CHRONICLE_NAMESPACE_ALLOW lets it reach owns: the reach its Subflows, KV and files have.
 * Without this a teamA flow could read teamB's topics, or join teamB's consumer group and take
 * half of its messages away.
 */
export interface KafkaPrefixGrant {
  /** A namespace (covering its children as their parent reaches them), or `*` for every namespace. */
  readonly namespace: string;
  /** A topic and group name prefix, or `*` for every name. */
  readonly prefix: string;
}

export interface KafkaOwnershipPolicy {
  /** Off: any topic and group but Chronicle's own (an installation without namespace-limited tokens and no grants). */
  readonly enforced: boolean;
  readonly grants: readonly KafkaPrefixGrant[];
  readonly namespaceAllow: readonly NamespaceAllowRule[];
}

export const KAFKA_PREFIXES_SETTING = 'CHRONICLE_KAFKA_NAMESPACE_PREFIXES';

/** CHRONICLE_KAFKA_NAMESPACE_PREFIXES cannot be read: a configuration error, reported at start. */
export class KafkaPrefixSpecError extends CodedError {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
  }
}

const NAMESPACE = /^(\*|[a-zA-Z0-9_-]+(\.[a-zA-Z0-9_-]+)*)$/;
const PREFIX = /^(\*|[a-zA-Z0-9._-]+)$/;

/** `teamA=orders.|payments.,*=public.`: namespace=prefix|prefix pairs, comma separated. */
export function parseKafkaPrefixGrants(spec: string | undefined): KafkaPrefixGrant[] {
  return (spec ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .flatMap((part, index) => {
      const eq = part.indexOf('=');
      const namespace = part.slice(0, eq).trim();
      const prefixes = part.slice(eq + 1).split('|').map((p) => p.trim());
      if (eq <= 0 || !NAMESPACE.test(namespace) || prefixes.some((p) => !PREFIX.test(p))) {
        throw new KafkaPrefixSpecError(`${KAFKA_PREFIXES_SETTING} entry ${index + 1} ("${part}"): expected namespace=prefix|prefix, the namespace or *, each prefix a Kafka name start (letters, digits, . _ -) or *, e.g. teamA=orders.|payments.`);
      }
      return prefixes.map((prefix) => ({ namespace, prefix }));
    });
}

/**
 * Why a flow of `namespace` may not use this trigger's topic or (explicit) consumer group, or
 * undefined when it may. A trigger without a `groupId` consumes in a group of its flow alone.
 * `shown` says which namespaces' grants the message may name (the reader's: someone limited to
 * teamA who validates a teamB flow must not learn teamB's prefixes); the grants to every
 * namespace (`*`) are nobody's secret.
 */
export function kafkaOwnershipIssue(
  namespace: string,
  trigger: { readonly id: string; readonly topic: string; readonly groupId: string },
  policy: KafkaOwnershipPolicy,
  shown: (grantedTo: string) => boolean = () => true,
): { field: 'topic' | 'groupId'; message: string } | undefined {
  if (!policy.enforced) return undefined;
  const grantedHere = policy.grants.filter((g) => g.namespace === '*' || mayStartFlowIn(namespace, g.namespace, policy.namespaceAllow));
  const mayUse = (name: string) => name.startsWith(`${namespace}.`) || grantedHere.some((g) => g.prefix === '*' || name.startsWith(g.prefix));
  const granted = grantedHere.filter((g) => g.namespace === '*' || shown(g.namespace)).map((g) => `"${g.prefix}"`);
  const alternatives = `names starting with "${namespace}."${granted.length > 0 ? ` or ${granted.join(', ')}` : ''}`;
  if (!mayUse(trigger.topic)) {
    return {
      field: 'topic',
      message: `topic "${trigger.topic}" does not belong to namespace ${namespace}: its Kafka triggers read ${alternatives}; rename the topic, or have the operator grant its prefix in ${KAFKA_PREFIXES_SETTING} (e.g. ${namespace}=${trigger.topic})`,
    };
  }
  if (trigger.groupId !== defaultKafkaTriggerGroup(trigger.id) && !mayUse(trigger.groupId)) {
    return {
      field: 'groupId',
      message: `consumer group "${trigger.groupId}" does not belong to namespace ${namespace}: use a group of ${alternatives}, or leave groupId out (the trigger then consumes in a group of its flow alone)`,
    };
  }
  return undefined;
}
