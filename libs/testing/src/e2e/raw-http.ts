import { connect, type Socket } from 'node:net';

/** One HTTP/1.1 answer as it came over the wire: the header lines in their order, the body's bytes as text. */
export interface RawAnswer {
  readonly status: number;
  readonly headerLines: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Reads from `socket` until `count` complete HTTP answers (each with a Content-Length, or none and no body) arrived. */
export function rawAnswers(socket: Socket, count: number): Promise<RawAnswer[]> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const parsed: RawAnswer[] = [];
      let rest = buffer;
      while (rest.includes('\r\n\r\n')) {
        const [head, ...tail] = rest.split('\r\n\r\n');
        const lines = head!.split('\r\n');
        const headerLines = lines.slice(1);
        const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
        const length = Number(headers['content-length'] ?? 0);
        const after = tail.join('\r\n\r\n');
        if (after.length < length) break;
        parsed.push({ status: Number(lines[0]!.split(' ')[1]), headerLines, headers, body: after.slice(0, length) });
        rest = after.slice(length);
      }
      if (parsed.length >= count) resolve(parsed);
    });
  });
}

/** Sends `request` (raw HTTP/1.1 text) on a new connection and answers its first answer; the connection is closed after. */
export async function rawRequest(url: string, request: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  try {
    const answered = rawAnswers(socket, 1);
    socket.write(request);
    return (await answered)[0]!;
  } finally {
    socket.destroy();
  }
}
