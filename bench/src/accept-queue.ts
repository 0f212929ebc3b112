import { readFileSync } from 'node:fs';

/** The gateway's listening socket under load: its kernel accept queue, sampled. */
export interface AcceptQueueSummary {
  readonly samples: number;
  /** Connections the kernel had accepted and the gateway not yet, at most (null: the socket was not found). */
  readonly maxDepth: number | null;
  /** Samples with at least DEEP connections waiting (at ~100 accepts a second, that is ten seconds' wait). */
  readonly samplesDeep: number;
}

/**
 * Samples the accept queue of the socket listening on `port` (this machine: the bench starts the
 * system here) from /proc/net/tcp and tcp6, where a LISTEN socket's rx_queue is that queue's
 * length (its backlog is not there: `ss -ltn` shows it). Why it matters: Node (libuv >= 1.45) accepts one connection
 * per turn of its loop; a busy gateway turns few times a second, and a connection can wait there
 * past its client's timeout, unseen by anything inside the gateway (2026-12-08-shed.md).
 */
export function sampleAcceptQueue(port: number, everyMs = 1_000): { stop(): AcceptQueueSummary } {
  const depths: number[] = [];
  const sample = () => {
    const depth = listenQueue(port);
    if (depth !== undefined) depths.push(depth);
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return {
        samples: depths.length,
        maxDepth: depths.length > 0 ? Math.max(...depths) : null,
        samplesDeep: depths.filter((d) => d >= DEEP).length,
      };
    },
  };
}

const DEEP = 1_000;

/** The accept queue's length of the socket listening on `port` (undefined: none found). */
function listenQueue(port: number): number | undefined {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      // sl local_address rem_address st tx_queue:rx_queue ...; st 0A = LISTEN
      const fields = line.trim().split(/\s+/);
      if (fields[3] !== '0A' || !fields[1]?.endsWith(hexPort)) continue;
      return parseInt(fields[4]!.split(':')[1]!, 16);
    }
  }
  return undefined;
}
