import { readFileSync } from 'node:fs';

/** The gateway's listening socket under load: its kernel accept queue, sampled. */
export interface AcceptQueueSummary {
  readonly samples: number;
  /** Connections the kernel had accepted and the gateway not yet, at most (null: the socket was not found). */
  readonly maxDepth: number | null;
  /** Its backlog (the queue's capacity). */
  readonly backlog: number | null;
  /** Samples with the queue at least half full. */
  readonly samplesHalfFull: number;
}

/**
 * Samples the accept queue of the socket listening on `port` (this machine: the bench starts the
 * system here) from /proc/net/tcp and tcp6, where a LISTEN socket's rx_queue is that queue's
 * length and tx_queue its backlog. Why it matters: Node (libuv >= 1.45) accepts one connection
 * per turn of its loop; a busy gateway turns few times a second, and a connection can wait there
 * past its client's timeout, unseen by anything inside the gateway (2026-12-08-shed.md).
 */
export function sampleAcceptQueue(port: number, everyMs = 1_000): { stop(): AcceptQueueSummary } {
  const depths: number[] = [];
  let backlog: number | null = null;
  const sample = () => {
    const found = listenQueue(port);
    if (!found) return;
    depths.push(found.depth);
    backlog = found.backlog;
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return {
        samples: depths.length,
        maxDepth: depths.length > 0 ? Math.max(...depths) : null,
        backlog,
        samplesHalfFull: backlog === null ? 0 : depths.filter((d) => d >= backlog! / 2).length,
      };
    },
  };
}

function listenQueue(port: number): { depth: number; backlog: number } | undefined {
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
      const [tx, rx] = fields[4]!.split(':');
      return { depth: parseInt(rx!, 16), backlog: parseInt(tx!, 16) };
    }
  }
  return undefined;
}
