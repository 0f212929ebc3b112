import type { ProjectionRebuild, ProjectionStatus } from '@chronicle/client';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { dim, state, type Output } from '../output.js';
import { contextOf, type CliContext } from './context.js';

const REBUILD_FIELDS = 'name state requestedBy requestedAt startedAt updatedAt finishedAt runs resumedFrom position headPosition eventsProjected eventsPerSecond etaSeconds error';
const STATUS_FIELDS = `name position headPosition lagEvents lagSeconds state errors updatedAt rebuild { ${REBUILD_FIELDS} }`;

/** A projection's status and rebuild as STATUS_FIELDS asks for them (the SDK's generated types). */
type Rebuild = Pick<ProjectionRebuild, 'name' | 'state' | 'requestedBy' | 'requestedAt' | 'startedAt' | 'updatedAt' | 'finishedAt' | 'runs' | 'resumedFrom' | 'position' | 'headPosition' | 'eventsProjected' | 'eventsPerSecond' | 'etaSeconds' | 'error'>;
type Status = Pick<ProjectionStatus, 'name' | 'position' | 'headPosition' | 'lagEvents' | 'lagSeconds' | 'state' | 'errors' | 'updatedAt'> & { readonly rebuild: Rebuild | null };

export function registerProjections(program: Command): void {
  const projections = program.command('projections').description('read-model projections: status and rebuild');

  projections
    .command('status')
    .description('each projection\'s checkpoint, lag and state, and its latest rebuild')
    .action(async (_options, command: Command) => {
      const { client, out, json } = contextOf(command);
      const list = await statuses(client);
      if (json) return out.data(list);
      out.table(['projection', 'state', 'position', 'head', 'lag (events)', 'lag (s)', 'errors', 'rebuild'], list.map((p) => [
        p.name, state(p.state), p.position, p.headPosition, p.lagEvents, p.lagSeconds.toFixed(1), p.errors, p.rebuild ? describeRebuild(p.rebuild) : '',
      ]));
    });

  projections
    .command('rebuild')
    .description('replay the whole log into shadow tables, then swap them in (the live ones keep serving meanwhile)')
    .argument('[name]', 'the projection', 'executions')
    .option('--no-wait', 'ask for it and return at once')
    .action(async (name: string, options: { wait: boolean }, command: Command) => {
      const ctx = contextOf(command);
      const { rebuildProjection } = await ctx.client.graphql<{ rebuildProjection: Rebuild }>(
        `mutation($name: String) { rebuildProjection(name: $name) { ${REBUILD_FIELDS} } }`, { name },
      );
      if (!options.wait) return ctx.json ? ctx.out.data(rebuildProjection) : ctx.out.line(`${name}: rebuild ${state(rebuildProjection.state)}`);
      const ended = await follow(ctx, name);
      if (ctx.json) ctx.out.data(ended);
      else ctx.out.line(`${name}: rebuild ${describeRebuild(ended)}`);
      if (ended.state === 'FAILED') process.exitCode = 1;
    });
}

async function statuses(client: CliContext['client']): Promise<Status[]> {
  return (await client.graphql<{ projections: Status[] }>(`{ projections { ${STATUS_FIELDS} } }`)).projections;
}

/** Polls the status every second until the rebuild ends, drawing its progress on a terminal. */
async function follow(ctx: CliContext, name: string): Promise<Rebuild> {
  const tty = process.stderr.isTTY === true && !ctx.json;
  const bar = tty
    ? new SingleBar({ format: `${name} {bar} {percentage}% | {state} | {value}/{total} position | {speed} events/s | ETA {eta_text}`, hideCursor: true, stream: process.stderr })
    : undefined;
  let started = false;
  for (;;) {
    const rebuild = (await statuses(ctx.client)).find((p) => p.name === name)?.rebuild ?? undefined;
    if (rebuild) {
      const position = Number(rebuild.position ?? 0);
      const head = Math.max(position, Number(rebuild.headPosition ?? 0), 1);
      const payload = { state: rebuild.state, speed: Math.round(rebuild.eventsPerSecond ?? 0), eta_text: eta(rebuild.etaSeconds) };
      if (bar) {
        if (!started) bar.start(head, position, payload);
        else bar.setTotal(head), bar.update(position, payload);
        started = true;
      } else if (!ctx.json) {
        process.stderr.write(`${progressLine(rebuild)}\n`);
      }
      if (rebuild.state === 'DONE' || rebuild.state === 'FAILED') {
        if (bar) (bar.update(rebuild.state === 'DONE' ? head : position, payload), bar.stop());
        return rebuild;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

function progressLine(r: Rebuild): string {
  return `${r.name}: ${r.state} position ${r.position ?? '-'}/${r.headPosition ?? '-'} · ${r.eventsProjected} events · ${Math.round(r.eventsPerSecond ?? 0)} events/s · ETA ${eta(r.etaSeconds)}`;
}

function describeRebuild(r: Rebuild): string {
  const speed = r.eventsPerSecond !== undefined && r.eventsPerSecond !== null ? `, ${Math.round(r.eventsPerSecond)} events/s` : '';
  switch (r.state) {
    case 'DONE':
      return `${state('DONE')} ${dim(`${r.eventsProjected} events${speed}, position ${r.position}${r.runs > 1 ? `, resumed ${r.runs - 1}×` : ''}`)}`;
    case 'FAILED':
      return `${state('FAILED')}: ${r.error ?? ''}`;
    default:
      return `${state(r.state)} ${dim(`${r.position ?? '-'}/${r.headPosition ?? '-'}${speed}, ETA ${eta(r.etaSeconds)}`)}`;
  }
}

const eta = (seconds: number | undefined | null): string =>
  seconds === undefined || seconds === null ? '?' : seconds < 60 ? `${Math.ceil(seconds)}s` : `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;

export type { Output };
