import { parseKafkaPrefixGrants, parseNamespaceAllow, type KafkaOwnershipPolicy } from '@chronicle/domain';
import type { ChronicleConfig } from '@chronicle/runtime';

/** The settings that decide which Kafka names a flow's trigger may use. */
export type KafkaNameSettings = Pick<ChronicleConfig, 'topicPrefix'> & Partial<Pick<ChronicleConfig, 'kafkaNamespacePrefixes' | 'namespaceLimitedTokens' | 'namespaceAllow'>>;

/**
 * Kafka trigger ownership (see the domain's kafkaOwnershipIssue) is enforced once namespaces are
 * isolated from each other: a token in CHRONICLE_TOKENS is limited to some namespaces, or the
 * operator granted prefixes in CHRONICLE_KAFKA_NAMESPACE_PREFIXES. Without either, every API caller
 * may deploy in every namespace, and a flow may read any topic but Chronicle's own.
 */
export function kafkaOwnershipPolicy(settings: KafkaNameSettings): KafkaOwnershipPolicy {
  return {
    enforced: settings.kafkaNamespacePrefixes !== undefined || settings.namespaceLimitedTokens === true,
    grants: parseKafkaPrefixGrants(settings.kafkaNamespacePrefixes),
    namespaceAllow: parseNamespaceAllow(settings.namespaceAllow),
  };
}
