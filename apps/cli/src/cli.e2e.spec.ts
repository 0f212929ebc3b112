import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandalone, type RunningStandalone } from '@chronicle/standalone';
import { createLogger, loadConfig } from '@chronicle/runtime';
import { createTestDatabase, eventually, type TestDatabase } from '@chronicle/testing';
import { cliAgainst, type CliRunner } from './test-support/cli-runner.js';

const ADMIN = 'cli-e2e-admin-token-0123456789';
const VIEWER = 'cli-e2e-viewer-token-012345678';

const FLOWS: Record<string, string> = {
  'hello.yml': 'id: hello\nnamespace: ops\ninputs:\n  - { id: name, type: STRING, defaults: World }\ntasks:\n  - { id: greet, type: OutputValues, values: { message: "Hello {{ inputs.name }}" } }\n  - { id: log, type: Log, message: "{{ outputs.greet.values.message }}" }\n',
  // Fails on its first attempt only: a restart (attempt 2) gets through.
  'flaky.yml': 'id: flaky\nnamespace: ops\ninputs:\n  - { id: region, type: STRING, defaults: eu }\ntasks:\n  - { id: prepare, type: OutputValues, values: { region: "{{ inputs.region }}" } }\n  - { id: check, type: Fail, condition: "{{ taskrun.attemptsCount == 0 }}", errorMessage: upstream not ready }\n  - { id: publish, type: Log, message: "published {{ outputs.prepare.values.region }}" }\n',
  'approval.yml': 'id: approval\nnamespace: ops\ntasks:\n  - { id: wait, type: Pause }\n  - { id: after, type: Log, message: approved }\n',
};

async function start(db: TestDatabase): Promise<RunningStandalone> {
  const config = loadConfig({ PORT: '0', DATABASE_URL: db.url, CHRONICLE_TOKENS: `ADMIN=${ADMIN},VIEWER=${VIEWER}`, CHRONICLE_LOG_LEVEL: 'silent' });
  return startStandalone(config, createLogger('cli-e2e', 'silent'));
}

describe('chronicle CLI against a standalone Chronicle', () => {
  let db: TestDatabase;
  let chronicle: RunningStandalone;
  let cli: CliRunner;
  const flowsDir = mkdtempSync(join(tmpdir(), 'chronicle-cli-flows-'));

  const finished = (id: string) =>
    eventually(`execution ${id} to end`, async () => {
      const execution = await cli.json(['executions', 'get', id]);
      return ['SUCCESS', 'FAILED', 'KILLED', 'WARNING'].includes(execution.state) ? execution : undefined;
    });

  beforeAll(async () => {
    for (const [file, yaml] of Object.entries(FLOWS)) writeFileSync(join(flowsDir, file), yaml);
    db = await createTestDatabase('cli_e2e');
    chronicle = await start(db);
    cli = cliAgainst(chronicle.url, ADMIN);
  });
  afterAll(async () => {
    await chronicle?.close();
    await db?.drop();
  });

  it('deploys a directory of flows and lists them', async () => {
    const human = await cli(['flows', 'deploy', flowsDir]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/hello\.yml.*ops.*hello.*1/);
    const flows = await cli.json(['flows', 'list', '--namespace', 'ops']);
    expect(flows.map((f: { id: string }) => f.id).sort()).toEqual(['approval', 'flaky', 'hello']);
  });

  it('starts an execution, follows it live to its end, lists, gets and travels back in its history', async () => {
    const run = await cli(['executions', 'start', 'ops', 'hello', '--input', 'name=Ops', '--label', 'team=sre', '--wait']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^\s*0\s+\S+\s+ExecutionCreated\s+ops\.hello rev 1 · inputs \{"name":"Ops"\}/);
    expect(lines.at(-2)).toMatch(/ExecutionSucceeded\s+→ SUCCESS/);
    const id = lines.at(-1)!.split(' ')[0]!;
    expect(lines.at(-1)).toContain(`${id} SUCCESS`);

    const listed = await cli.json(['executions', 'list', '--flow', 'hello', '--label', 'team=sre', '--state', 'success']);
    expect(listed.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([id]);
    const table = await cli(['executions', 'list', '--namespace', 'ops']);
    expect(table.stdout).toContain(id);

    const execution = await cli.json(['executions', 'get', id]);
    expect(execution).toMatchObject({ id, state: 'SUCCESS', inputs: { name: 'Ops' }, labels: { team: 'sre' } });
    expect(execution.taskRuns.map((t: { taskId: string; state: string }) => `${t.taskId}:${t.state}`)).toEqual(['greet:SUCCESS', 'log:SUCCESS']);
    // Read-your-writes: at the revision the last command showed, or later.
    expect(await cli.json(['executions', 'get', id, '--min-revision', String(execution.revision)])).toMatchObject({ id, revision: execution.revision });
    const shown = await cli(['executions', 'get', id]);
    expect(shown.stdout).toMatch(/state\s+SUCCESS/);
    expect(shown.stdout).toMatch(/greet.*SUCCESS/);

    const then = await cli.json(['executions', 'at', id, '4']);
    expect(then.state).toBe('RUNNING');
    expect(then.taskRuns.map((t: { taskId: string; state: string }) => `${t.taskId}:${t.state}`)).toEqual(['greet:SUCCESS']);
  });

  it('shows the history of a failed-then-restarted execution, one line per event', async () => {
    const { id } = await cli.json(['executions', 'start', 'ops', 'flaky']);
    expect((await finished(id)).state).toBe('FAILED');
    const restarted = await cli(['executions', 'restart', id]);
    expect(restarted.code, restarted.stderr).toBe(0);
    expect((await eventually('the restart to succeed', async () => (await cli.json(['executions', 'get', id])).state === 'SUCCESS'))).toBe(true);

    const history = await cli(['executions', 'history', id]);
    expect(history.code, history.stderr).toBe(0);
    const lines = history.stdout.trim().split('\n');
    const events = await cli.json(['executions', 'history', id]);
    expect(lines).toHaveLength(events.length);
    lines.forEach((line, revision) => expect(line).toMatch(new RegExp(`^\\s*${revision}\\s+\\d{4}-\\d\\d-\\d\\dT\\S+Z\\s+${events[revision].type}\\b`)));
    const text = history.stdout;
    expect(text).toMatch(/TaskRunFailed\s+check attempt 1 → FAILED: upstream not ready/);
    expect(text).toMatch(/ExecutionFailed\s+→ FAILED: .*upstream not ready/);
    expect(text).toMatch(/ExecutionStateChanged\s+→ RESTARTED/);
    expect(text).toMatch(/TaskRunAttemptCreated\s+check attempt 2/);
    expect(text).toMatch(/TaskRunSucceeded\s+check attempt 2 → SUCCESS/);
    expect(lines.at(-1)).toMatch(/ExecutionSucceeded\s+→ SUCCESS/);
    // Kept for the report: the CLI's own output for this execution.
    process.stdout.write(`\n$ chronicle executions history ${id}\n${text}\n`);
  });

  it('replays from a task: the new execution reuses what came before and its history links to the original', async () => {
    const { id } = await cli.json(['executions', 'start', 'ops', 'hello', '--input', 'name=First']);
    await finished(id);
    const replay = await cli.json(['executions', 'replay', id, '--from-task', 'log', '--input', 'name=Second']);
    expect(replay.id).not.toBe(id);
    expect(replay.originalId).toBe(id);
    const ended = await finished(replay.id);
    expect(ended).toMatchObject({ state: 'SUCCESS', originalId: id, inputs: { name: 'Second' } });
    const history = await cli(['executions', 'history', replay.id]);
    expect(history.stdout.split('\n')[0]).toContain(`original ${id} · replay of ${id} from task log`);
    const family = await cli.json(['executions', 'list', '--original', id]);
    expect(family.edges.map((e: { node: { id: string } }) => e.node.id).sort()).toEqual([id, replay.id].sort());
  });

  it('tails a paused execution live until a resume ends it; kills one and rejects another', async () => {
    const { id } = await cli.json(['executions', 'start', 'ops', 'approval']);
    await eventually('the pause', async () => (await cli.json(['executions', 'get', id])).state === 'PAUSED');
    const tail = cli.spawn(['executions', 'tail', id]);
    await eventually('tail to print the pause', async () => tail.output().includes('→ PAUSED'));
    const resumed = await cli(['executions', 'resume', id]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const tailed = await tail.exited;
    expect(tailed.code, tailed.stderr).toBe(0);
    expect(tailed.stdout).toMatch(/ExecutionSucceeded\s+→ SUCCESS/);
    expect(tailed.stdout.trim().split('\n').at(-1)).toContain(`${id} SUCCESS`);

    const killed = await cli.json(['executions', 'start', 'ops', 'approval']);
    await eventually('the pause', async () => (await cli.json(['executions', 'get', killed.id])).state === 'PAUSED');
    expect((await cli(['executions', 'kill', killed.id])).code).toBe(0);
    expect((await finished(killed.id)).state).toBe('KILLED');

    const rejected = await cli.json(['executions', 'start', 'ops', 'approval']);
    await eventually('the pause', async () => (await cli.json(['executions', 'get', rejected.id])).state === 'PAUSED');
    expect((await cli(['executions', 'resume', rejected.id, '--reject'])).code).toBe(0);
    expect((await finished(rejected.id)).state).toBe('FAILED');
  });

  it('starts with run options (priority, max runtime, a later start, name), steers it and shows the record', async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const started = await cli.json(['executions', 'start', 'ops', 'hello', '--priority', '4', '--max-runtime', 'PT5M', '--at', at, '--name', 'nightly']);
    expect(started).toMatchObject({ state: 'CREATED', priority: 4, maxRuntime: 'PT5M', scheduledAt: at, name: 'nightly', startedBy: { kind: 'token' } });
    const updated = await cli(['executions', 'update', started.id, '--message', 'waiting for the window', '--priority', '6']);
    expect(updated.code, updated.stderr).toBe(0);
    await eventually('steered', async () => (await cli.json(['executions', 'get', started.id])).message === 'waiting for the window');
    const shown = await cli(['executions', 'get', started.id]);
    expect(shown.stdout).toMatch(/message\s+waiting for the window/);
    expect(shown.stdout).toMatch(/priority\s+6/);
    expect((await cli(['executions', 'kill', started.id])).code).toBe(0);
    expect((await finished(started.id)).state).toBe('KILLED');
    const refused = await cli(['executions', 'start', 'ops', 'hello', '--max-runtime', 'soon']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/BAD_USER_INPUT.*maxRuntime|maxRuntime.*ISO-8601/s);
  });

  it('steps through a run at its breakpoints (step, skip)', async () => {
    const stepped = await cli.json(['executions', 'start', 'ops', 'hello', '--step']);
    await eventually('paused before greet', async () => (await cli.json(['executions', 'get', stepped.id])).taskRuns.some((t: { taskId: string; breakpoint?: unknown }) => t.taskId === 'greet' && t.breakpoint));
    expect((await cli(['executions', 'step', stepped.id])).code).toBe(0);
    await eventually('paused before log', async () => (await cli.json(['executions', 'get', stepped.id])).taskRuns.some((t: { taskId: string; breakpoint?: unknown }) => t.taskId === 'log' && t.breakpoint));
    const shown = await cli(['executions', 'get', stepped.id]);
    expect(shown.stdout).toMatch(/paused before\s+log/);
    expect(shown.stdout).toContain('Hello World');
    expect((await cli(['executions', 'skip', stepped.id])).code).toBe(0);
    const done = await finished(stepped.id);
    expect(done.taskRuns.map((t: { taskId: string; state: string }) => `${t.taskId}:${t.state}`)).toEqual(['greet:SUCCESS', 'log:SKIPPED']);
    const refused = await cli(['executions', 'start', 'ops', 'hello', '--breakpoint', 'nope']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/breakpoints\[0\] names no task/);
  });

  it('shows and force-releases a named lock', async () => {
    const lockDir = mkdtempSync(join(tmpdir(), 'chronicle-cli-locks-'));
    writeFileSync(join(lockDir, 'guarded.yml'), 'id: guarded\nnamespace: ops\ninputs:\n  - { id: wait, type: STRING, defaults: PT60S }\nlocks: [cli-lock]\ntasks:\n  - { id: hold, type: Sleep, duration: "{{ inputs.wait }}" }\n');
    expect((await cli(['flows', 'deploy', lockDir])).code).toBe(0);
    const holder = await cli.json(['executions', 'start', 'ops', 'guarded']);
    await eventually('held', async () => (await cli.json(['locks', 'list']))[0]?.holder?.executionId === holder.id);
    const waiter = await cli.json(['executions', 'start', 'ops', 'guarded', '--input', 'wait=PT1S']);
    await eventually('queued', async () => (await cli.json(['locks', 'list', '--name', 'cli-lock']))[0]?.waiters.length === 1);
    expect((await cli(['executions', 'get', waiter.id])).stdout).toMatch(/waiting for locks\s+cli-lock/);
    expect((await cli(['locks', 'list'])).stdout).toMatch(/cli-lock\s+│\s+ops\.guarded/);
    const released = await cli(['locks', 'release', 'cli-lock']);
    expect(released.code, released.stderr).toBe(0);
    expect(released.stdout).toContain(`released from ops.guarded ${holder.id}`);
    expect((await finished(waiter.id)).state).toBe('SUCCESS');
    expect((await cli(['executions', 'kill', holder.id])).code).toBe(0);
  });

  it('shows the execution tree: the top execution and every descendant with its state, the asked one marked', async () => {
    const treeDir = mkdtempSync(join(tmpdir(), 'chronicle-cli-tree-'));
    writeFileSync(join(treeDir, 'leaf.yml'), 'id: tree-leaf\nnamespace: ops\ntasks:\n  - { id: out, type: OutputValues, values: { v: 1 } }\n');
    writeFileSync(join(treeDir, 'root.yml'), 'id: tree-root\nnamespace: ops\ntasks:\n  - { id: a, type: Subflow, namespace: ops, flowId: tree-leaf }\n  - { id: b, type: Subflow, namespace: ops, flowId: tree-leaf }\n');
    expect((await cli(['flows', 'deploy', treeDir])).code).toBe(0);
    const root = await cli.json(['executions', 'start', 'ops', 'tree-root']);
    expect((await finished(root.id)).state).toBe('SUCCESS');
    const tree = await eventually('both children projected', async () => {
      const t = await cli.json(['executions', 'tree', root.id]);
      return t.descendants.length === 2 && t.descendants.every((d: { state: string }) => d.state === 'SUCCESS') ? t : undefined;
    });
    expect(tree.top).toMatchObject({ id: root.id, flowId: 'tree-root', state: 'SUCCESS' });
    const leaf = tree.descendants[1].id as string;
    const shown = await cli(['executions', 'tree', leaf]);
    expect(shown.code, shown.stderr).toBe(0);
    const lines = shown.stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${root.id}\\s+ops\\.tree-root\\s+SUCCESS`));
    expect(lines.slice(1).every((l: string) => /^ {2}\S+\s+ops\.tree-leaf\s+SUCCESS/.test(l))).toBe(true);
    expect(lines.find((l: string) => l.includes(leaf))).toContain('← this one');
  });

  it('shows the projections and rebuilds one, following its progress to the swap', async () => {
    const before = await cli.json(['projections', 'status']);
    expect(before.find((p: { name: string }) => p.name === 'executions')).toMatchObject({ state: 'LIVE', lagEvents: 0 });
    const rebuild = await cli(['projections', 'rebuild']);
    expect(rebuild.code, rebuild.stderr).toBe(0);
    expect(rebuild.stdout).toMatch(/executions: rebuild DONE \d+ events, \d+ events\/s, position \d+/);
    expect(rebuild.stderr).toMatch(/executions: (PENDING|RUNNING|SWAPPING|DONE) position/);
    const after = await cli.json(['projections', 'status']);
    expect(after.find((p: { name: string }) => p.name === 'executions').rebuild).toMatchObject({ state: 'DONE', runs: 1, requestedBy: 'admin-token-1' });
    expect((await cli.json(['executions', 'list', '--namespace', 'ops'])).totalCount).toBeGreaterThan(5);
  });

  it('dead-letters a trigger event for a flow that does not exist yet, and runs it once redriven after the fix', async () => {
    const topic = chronicle.platform.topics.triggers;
    await chronicle.platform.bus.publish(topic, [{ key: 'late', value: { namespace: 'ops', flowId: 'late', inputs: { who: 'dlq' }, idempotencyKey: 'late-1' } }]);
    const queue = await eventually('the dead letter', async () =>
      (await cli.json(['dlq', 'list'])).find((q: { topic: string; count: number }) => q.topic === `${topic}.dlq` && q.count > 0));
    expect(queue.sourceTopic).toBe(topic);
    const [letter] = await cli.json(['dlq', 'list', topic]);
    expect(letter).toMatchObject({ topic: `${topic}.dlq`, offset: '0', json: { flowId: 'late' }, sourceTopic: topic });
    expect(letter.reason).toMatch(/late/);
    const shown = await cli(['dlq', 'show', `${topic}.dlq`, '0']);
    expect(shown.stdout).toMatch(/reason\s+.*late/);
    expect(shown.stdout).toContain('"flowId": "late"');

    writeFileSync(join(flowsDir, 'late.yml'), 'id: late\nnamespace: ops\ninputs:\n  - { id: who, type: STRING }\ntasks:\n  - { id: hi, type: Log, message: "hi {{ inputs.who }}" }\n');
    expect((await cli(['flows', 'deploy', join(flowsDir, 'late.yml')])).code).toBe(0);
    const redriven = await cli(['dlq', 'redrive', `${topic}.dlq`, '0']);
    expect(redriven.code, redriven.stderr).toBe(0);
    expect(redriven.stdout).toContain(`→ ${topic}`);
    const run = await eventually('the redriven trigger to run', async () => {
      const page = await cli.json(['executions', 'list', '--flow', 'late', '--namespace', 'ops']);
      return page.edges[0]?.node.state === 'SUCCESS' ? page.edges[0].node : undefined;
    });
    expect((await cli.json(['executions', 'get', run.id])).inputs).toEqual({ who: 'dlq' });
    const again = await cli(['dlq', 'redrive', `${topic}.dlq`, '0']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/CONFLICT: .*redriven already/);
    expect((await cli.json(['dlq', 'list', topic]))[0].redrivenBy).toBe('admin-token-1');
  });

  it('exports the log and imports it into an empty installation, which then shows the same executions; a re-import adds nothing', async () => {
    const exported = await cli(['events', 'export', '--all']);
    expect(exported.code, exported.stderr).toBe(0);
    const lines = exported.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(50);
    const one = await cli(['events', 'export', JSON.parse(lines[lines.length - 1]!).streamId]);
    expect(one.stdout.trim().split('\n').every((l) => JSON.parse(l).streamId === JSON.parse(lines[lines.length - 1]!).streamId)).toBe(true);

    const otherDb = await createTestDatabase('cli_e2e_import');
    const other = await start(otherDb);
    try {
      const otherCli = cliAgainst(other.url, ADMIN);
      const file = join(flowsDir, 'log.ndjson');
      writeFileSync(file, exported.stdout);
      const imported = await otherCli.json(['events', 'import', file]);
      expect(imported).toMatchObject({ imported: lines.length, skipped: 0 });
      const again = await otherCli(['events', 'import'], { stdin: exported.stdout });
      expect(again.stdout).toMatch(new RegExp(`imported 0 events into \\d+ streams \\(${lines.length} already there, skipped\\)`));

      const summary = (page: { edges: { node: Record<string, unknown> }[] }) =>
        page.edges.map(({ node }) => ({ id: node.id, flowId: node.flowId, state: node.state, startDate: node.startDate, endDate: node.endDate })).sort((a, b) => String(a.id).localeCompare(String(b.id)));
      const original = summary(await cli.json(['executions', 'list', '--first', '500']));
      await eventually('the imported log to be projected', async () =>
        JSON.stringify(summary(await otherCli.json(['executions', 'list', '--first', '500']))) === JSON.stringify(original));
      const [anyId] = original.map((e) => e.id as string);
      expect(await otherCli.json(['executions', 'history', anyId!])).toEqual(await cli.json(['executions', 'history', anyId!]).then((events) =>
        events.map((e: { position: string }) => ({ ...e, position: expect.any(String) }))));
    } finally {
      await other.close();
      await otherDb.drop();
    }
  });

  it('purges by namespace: the dry run lists and changes nothing, the real run removes exactly those; audit shows who did what', async () => {
    const { id } = await cli.json(['executions', 'start', 'ops', 'hello', '--input', 'name=Purge']);
    expect((await finished(id)).state).toBe('SUCCESS');
    const audit = await cli.json(['audit', '--execution', id]);
    expect(audit[0]).toMatchObject({ action: 'ExecutionCreated', actor: expect.stringMatching(/admin/) });
    expect(audit.some((a: { actor: string }) => a.actor === 'system:executor')).toBe(true);
    const humanAudit = await cli(['audit', '--namespace', 'ops', '--first', '5']);
    expect(humanAudit.code, humanAudit.stderr).toBe(0);

    const before = (await cli.json(['executions', 'list', '--namespace', 'ops', '--first', '500'])).totalCount;
    const dry = await cli.json(['executions', 'purge', '--namespace', 'ops', '--state', 'SUCCESS', '--dry-run']);
    expect(dry.dryRun).toBe(true);
    expect(dry.executionIds).toContain(id);
    expect((await cli.json(['executions', 'list', '--namespace', 'ops', '--first', '500'])).totalCount).toBe(before);
    const real = await cli.json(['executions', 'purge', '--namespace', 'ops', '--state', 'SUCCESS']);
    expect(real.dryRun).toBe(false);
    expect([...real.executionIds].sort()).toEqual([...dry.executionIds].sort());
    expect((await cli.json(['executions', 'list', '--namespace', 'ops', '--first', '500'])).totalCount).toBe(before - dry.count);
    const gone = await cli(['executions', 'get', id]);
    expect(gone.code).not.toBe(0);
    const usage = await cli(['executions', 'purge']);
    expect(usage.code).toBe(2);
  });

  it('reports API errors with their code and a non-zero exit', async () => {
    const viewer = cliAgainst(chronicle.url, VIEWER);
    const refused = await viewer(['projections', 'rebuild']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/FORBIDDEN/);
    const anonymous = await cli(['flows', 'list'], { env: { CHRONICLE_TOKEN: '' } });
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toMatch(/UNAUTHENTICATED/);
    const badRevision = await cli(['executions', 'get', 'nope', '--min-revision', '-1']);
    expect(badRevision.code).toBe(1);
    expect(badRevision.stderr).toMatch(/BAD_USER_INPUT: .*minRevision/);
    const missing = await cli(['executions', 'get', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/NOT_FOUND/);
    const usage = await cli(['events', 'export']);
    expect(usage.code).toBe(2);
  });
});
