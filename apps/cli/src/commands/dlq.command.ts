import type { DeadLetter } from '@chronicle/client';
import type { Command } from 'commander';
import { brief, dim } from '../output.js';
import { contextOf } from './context.js';

const LETTER_FIELDS = 'topic partition offset key value json headers reason sourceTopic sourcePartition sourceOffset failedAt redrivenAt redrivenBy';

/** A dead letter as `LETTER_FIELDS` asks for it (the SDK's generated DeadLetter). */
type Letter = Pick<DeadLetter, 'topic' | 'partition' | 'offset' | 'key' | 'value' | 'json' | 'reason' | 'sourceTopic' | 'sourcePartition' | 'sourceOffset' | 'failedAt' | 'redrivenAt' | 'redrivenBy'> & {
  /** A JSON scalar in the schema: the message's headers, names to texts. */
  readonly headers: Record<string, string>;
};

export function registerDlq(program: Command): void {
  const dlq = program.command('dlq').description('dead letters: messages that could not be processed, and their redrive');

  dlq
    .command('list')
    .description('every dead-letter topic, or the messages of one')
    .argument('[topic]', 'a dead-letter topic (`x.dlq`) or its source topic (`x`)')
    .option('--first <n>', 'at most this many messages (default 50)', Number)
    .option('--after <offset>', 'messages after this offset')
    .action(async (topic: string | undefined, options: { first?: number; after?: string }, command: Command) => {
      const { client, out, json } = contextOf(command);
      if (topic === undefined) {
        const { deadLetterQueues } = await client.graphql<{ deadLetterQueues: { topic: string; sourceTopic: string; count: number }[] }>(
          '{ deadLetterQueues { topic sourceTopic count } }',
        );
        if (json) return out.data(deadLetterQueues);
        return out.table(['dead-letter topic', 'source topic', 'messages'], deadLetterQueues.map((q) => [q.topic, q.sourceTopic, q.count]));
      }
      const { deadLetters } = await client.graphql<{ deadLetters: Letter[] }>(
        `query($topic: String!, $first: Int, $after: String) { deadLetters(topic: $topic, first: $first, afterOffset: $after) { ${LETTER_FIELDS} } }`,
        { topic, first: options.first, after: options.after },
      );
      if (json) return out.data(deadLetters);
      out.table(['offset', 'key', 'reason', 'failed at', 'redriven'], deadLetters.map((l) => [
        l.partition === 0 ? l.offset : `${l.partition}:${l.offset}`, l.key, brief(l.reason, 70), l.failedAt, l.redrivenAt ? `${l.redrivenAt} by ${l.redrivenBy}` : '',
      ]));
    });

  dlq
    .command('show')
    .description('one dead letter: why it failed, where from, its value and headers')
    .argument('<topic>')
    .argument('<offset>')
    .option('-p, --partition <n>', 'partition of the dead-letter topic', Number, 0)
    .action(async (topic: string, offset: string, options: { partition: number }, command: Command) => {
      const { client, out, json } = contextOf(command);
      const { deadLetter } = await client.graphql<{ deadLetter: Letter | null }>(
        `query($topic: String!, $offset: String!, $partition: Int) { deadLetter(topic: $topic, offset: $offset, partition: $partition) { ${LETTER_FIELDS} } }`,
        { topic, offset, partition: options.partition },
      );
      if (!deadLetter) throw Object.assign(new Error(`no dead letter at ${topic} offset ${offset}`), { code: 'NOT_FOUND' });
      if (json) return out.data(deadLetter);
      out.fields([
        ['topic', `${deadLetter.topic} partition ${deadLetter.partition} offset ${deadLetter.offset}`],
        ['reason', deadLetter.reason],
        ['source', `${deadLetter.sourceTopic}${deadLetter.sourceOffset != null ? ` partition ${deadLetter.sourcePartition} offset ${deadLetter.sourceOffset}` : ''}`],
        ['failed at', deadLetter.failedAt],
        ['key', deadLetter.key],
        ['headers', Object.keys(deadLetter.headers).length > 0 ? deadLetter.headers : undefined],
        ['redriven', deadLetter.redrivenAt ? `${deadLetter.redrivenAt} by ${deadLetter.redrivenBy}` : dim('no')],
      ]);
      out.line();
      out.line(deadLetter.json !== undefined && deadLetter.json !== null ? JSON.stringify(deadLetter.json, null, 2) : (deadLetter.value ?? dim('(no value)')));
    });

  dlq
    .command('redrive')
    .description('send a dead letter back to its source topic, after a fix (once per message)')
    .argument('<topic>')
    .argument('<offset>')
    .option('-p, --partition <n>', 'partition of the dead-letter topic', Number, 0)
    .action(async (topic: string, offset: string, options: { partition: number }, command: Command) => {
      const { client, out, json } = contextOf(command);
      const { redriveDeadLetter } = await client.graphql<{ redriveDeadLetter: Letter }>(
        `mutation($topic: String!, $offset: String!, $partition: Int) { redriveDeadLetter(topic: $topic, offset: $offset, partition: $partition) { ${LETTER_FIELDS} } }`,
        { topic, offset, partition: options.partition },
      );
      if (json) return out.data(redriveDeadLetter);
      out.line(`redriven ${redriveDeadLetter.topic} offset ${redriveDeadLetter.offset} → ${redriveDeadLetter.sourceTopic}`);
    });
}
