import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './free-port.js';
import { answersMetadata } from '@chronicle/runtime';
import { readKafkaPid, startKafka, stopKafkaFromPidFile, type KafkaServer } from './kafka-server.js';
import { isProcessAlive } from './process.js';

describe('startKafka', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chronicle-kafka-'));
  let server: KafkaServer | undefined;
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts a broker that answers metadata requests, and stops it by PID', async () => {
    server = await startKafka({ dataDir, port: await freePort() });
    expect(server.brokers).toBe(`127.0.0.1:${server.port}`);
    expect(await answersMetadata(server.brokers)).toBe(true);
    expect(readKafkaPid(dataDir)).toBe(server.pid);
    await expect(startKafka({ dataDir, port: await freePort() })).rejects.toMatchObject({ code: 'KAFKA_ALREADY_RUNNING' });

    expect(await stopKafkaFromPidFile(dataDir)).toBe(true);
    expect(isProcessAlive(server.pid)).toBe(false);
    expect(readKafkaPid(dataDir)).toBeUndefined();
    expect(await stopKafkaFromPidFile(dataDir)).toBe(false);
  });

  it('restarts on the same data directory, its JVM with C1 only and the options of CHRONICLE_KAFKA_JVM_OPTS after the project\'s', async () => {
    const before = process.env.CHRONICLE_KAFKA_JVM_OPTS;
    process.env.CHRONICLE_KAFKA_JVM_OPTS = ' -Dchronicle.test.marker=1  -Dchronicle.test.other=2 ';
    try {
      server = await startKafka({ dataDir, port: await freePort() });
    } finally {
      if (before === undefined) delete process.env.CHRONICLE_KAFKA_JVM_OPTS;
      else process.env.CHRONICLE_KAFKA_JVM_OPTS = before;
    }
    expect(await answersMetadata(server.brokers)).toBe(true);
    const args = readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0');
    expect(args.slice(args.indexOf('-XX:TieredStopAtLevel=1'), args.indexOf('-XX:TieredStopAtLevel=1') + 3)).toEqual(['-XX:TieredStopAtLevel=1', '-Dchronicle.test.marker=1', '-Dchronicle.test.other=2']);
    await server.stop();
    expect(isProcessAlive(server.pid)).toBe(false);
    server = undefined;
  });
});
