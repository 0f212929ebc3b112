import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { UsageError } from '../settings.js';
import { contextOf } from './context.js';

export function registerEvents(program: Command): void {
  const events = program.command('events').description('the event log out and in, as NDJSON (ADMIN)');

  events
    .command('export')
    .description('write one stream, or the whole log with --all, to stdout as NDJSON')
    .argument('[stream]', 'a stream, e.g. execution-<id> or flow-<namespace>.<flowId>')
    .option('--all', 'the whole log, in log order')
    .action(async (stream: string | undefined, options: { all?: boolean }, command: Command) => {
      if ((stream === undefined) === (options.all !== true)) throw new UsageError('name one stream, or pass --all');
      const { client } = contextOf(command);
      const response = await client.rest('GET', `/api/v1/admin/events:export${stream ? `?stream=${encodeURIComponent(stream)}` : ''}`);
      await pipeline(Readable.fromWeb(response.body as never), process.stdout, { end: false });
    });

  events
    .command('import')
    .description('append exported events (NDJSON from stdin or a file) to this installation, with their ids and revisions')
    .argument('[file]', 'an NDJSON file (default: stdin)')
    .action(async (file: string | undefined, _options, command: Command) => {
      const { client, out, json } = contextOf(command);
      const input = file === undefined || file === '-' ? process.stdin : createReadStream(file);
      const response = await client.rest('POST', '/api/v1/admin/events:import', { body: input, contentType: 'application/x-ndjson' });
      const result = (await response.json()) as { imported: number; skipped: number; streams: number };
      if (json) return out.data(result);
      out.line(`imported ${result.imported} events into ${result.streams} streams${result.skipped ? ` (${result.skipped} already there, skipped)` : ''}`);
    });
}
