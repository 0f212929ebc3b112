import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Starts a distributed service's bootstrap in a child process (it exits on a bad configuration). */
function bootstrap(env: Record<string, string>) {
  const code = "const { bootstrapService } = await import('@chronicle/composition'); await bootstrapService('executor'); process.exit(0);";
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@chronicle/source', '--input-type=module', '-e', code], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('bootstrapService: a missing or invalid setting stops start-up', () => {
  it('exits 2 naming DATABASE_URL and KAFKA_BROKERS when a distributed service lacks them', () => {
    const run = bootstrap({});
    expect(run.status).toBe(2);
    expect(run.output).toContain('DATABASE_URL: required by the executor service in distributed mode');
    expect(run.output).toContain('KAFKA_BROKERS: required by the executor service in distributed mode');
  });

  it('exits 2 naming an invalid setting before connecting to anything', () => {
    const run = bootstrap({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', KAFKA_BROKERS: '127.0.0.1:1', HEALTH_PORT: 'abc' });
    expect(run.status).toBe(2);
    expect(run.output).toMatch(/HEALTH_PORT: /);
  });
});
