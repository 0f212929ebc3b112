import { logLevel, type logCreator } from 'kafkajs';

/**
 * kafkajs logs every rebalance and reconnect at INFO; the bus only lets WARN and ERROR
 * through, as one JSON line on stderr. Pass another `logCreator` to KafkaMessageBus to
 * route kafkajs into the application's logger.
 */
export const quietKafkaLogCreator: logCreator = () => ({ namespace, level, label, log }) => {
  if (level > logLevel.WARN) return;
  // A connection logs every error response at ERROR, including the retriable ones kafkajs
  // then retries (coordinator loading, rebalance in progress); what is not retried reaches
  // the caller as an exception.
  if (namespace === 'Connection' && log.message.startsWith('Response ')) return;
  const { message, ...extra } = log;
  process.stderr.write(`${JSON.stringify({ level: label, logger: `kafkajs.${namespace}`, msg: message, ...extra })}\n`);
};
