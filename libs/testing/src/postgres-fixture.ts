import { randomBytes } from 'node:crypto';
import { createDatabase, dropDatabase } from '@chronicle/dev-infra';

/**
 * Integration tests talk to the real Postgres that `npm test` (scripts/test.ts) or
 * `.ci/run` started; its admin URL arrives in CHRONICLE_TEST_PG_URL. Each test file
 * gets a database of its own, so suites can run in parallel.
 */
export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

export function testPostgresAdminUrl(): string {
  const url = process.env.CHRONICLE_TEST_PG_URL;
  if (!url) throw new Error('CHRONICLE_TEST_PG_URL is not set: run the tests with `npm test`, which starts a real Postgres');
  return url;
}

export async function createTestDatabase(prefix = 't'): Promise<TestDatabase> {
  const adminUrl = testPostgresAdminUrl();
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await createDatabase(adminUrl, name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => dropDatabase(adminUrl, name) };
}
