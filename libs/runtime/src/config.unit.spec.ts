import { describe, expect, it } from 'vitest';
import { ConfigError, configVariables, loadConfig } from './config.js';

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig accepted an invalid configuration');
}

describe('loadConfig', () => {
  it('applies the defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', topicPrefix: 'chronicle', kafkaPartitions: 4, authDisabled: false, healthPort: undefined });
  });

  it('stops on an invalid setting with a message naming it', () => {
    const error = configError({ PORT: 'abc' });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatch(/^PORT: /);
    expect(error.message).toContain('PORT');
  });

  it('names every invalid setting at once', () => {
    const error = configError({ HEALTH_PORT: '70000', CHRONICLE_AUTH: 'maybe', DATABASE_URL: 'not a url', CHRONICLE_TOPIC_PREFIX: 'a b' });
    expect(error.issues.map((i) => i.split(':')[0]).sort()).toEqual(['CHRONICLE_AUTH', 'CHRONICLE_TOPIC_PREFIX', 'DATABASE_URL', 'HEALTH_PORT']);
  });

  it('reads the health port and the broker list', () => {
    const config = loadConfig({ HEALTH_PORT: '9090', KAFKA_BROKERS: 'a:9092, b:9092,' });
    expect(config.healthPort).toBe(9090);
    expect(config.kafkaBrokers).toEqual(['a:9092', 'b:9092']);
  });

  it('reads the Script bounds as one group, refusing a non-number with the setting named', () => {
    expect(loadConfig({}).script).toEqual({
      defaultTimeoutMs: 10_000, maxTimeoutMs: 900_000, defaultMemoryMb: 64, maxMemoryMb: 512, maxLogLines: 10_000, maxLogBytes: 1_048_576, maxOutputBytes: 1_048_576, maxMetrics: 1_000,
    });
    expect(loadConfig({ CHRONICLE_SCRIPT_MAX_LOG_BYTES: '4096', CHRONICLE_SCRIPT_MEMORY_MB: '16' }).script).toMatchObject({ maxLogBytes: 4096, defaultMemoryMb: 16 });
    expect(configError({ CHRONICLE_SCRIPT_MAX_METRICS: 'many' }).issues[0]).toMatch(/^CHRONICLE_SCRIPT_MAX_METRICS: /);
  });

  it('labels the public execution counters by namespace only where namespaces are not isolated, unless told (CHRONICLE_METRICS_NAMESPACE_LABELS)', () => {
    const limited = 'ADMIN=a-long-enough-token-0001,VIEWER:teamA=a-long-enough-token-0002';
    expect(loadConfig({ CHRONICLE_TOKENS: 'ADMIN=a-long-enough-token-0001' }).metricsNamespaceLabels).toBe(true);
    expect(loadConfig({ CHRONICLE_TOKENS: limited }).metricsNamespaceLabels).toBe(false);
    expect(loadConfig({ CHRONICLE_TOKENS: limited, CHRONICLE_METRICS_NAMESPACE_LABELS: 'show' }).metricsNamespaceLabels).toBe(true);
    expect(loadConfig({ CHRONICLE_METRICS_NAMESPACE_LABELS: 'hide' }).metricsNamespaceLabels).toBe(false);
    expect(configError({ CHRONICLE_METRICS_NAMESPACE_LABELS: 'maybe' }).issues[0]).toMatch(/^CHRONICLE_METRICS_NAMESPACE_LABELS: /);
  });

  it('checks every setting before anything starts: CHRONICLE_TOKENS\'s grammar, EVENTSTORE_URL\'s form, bounds against their maximum', () => {
    expect(configError({ CHRONICLE_TOKENS: 'ADMIN=short' }).message).toMatch(/CHRONICLE_TOKENS entry 1: a token must be at least 16 characters/);
    expect(configError({ CHRONICLE_TOKENS: 'BOSS=a-long-enough-token-0001' }).message).toMatch(/CHRONICLE_TOKENS entry 1: unknown role BOSS/);
    expect(loadConfig({ CHRONICLE_TOKENS: 'ADMIN=a-long-enough-token-0001' }).namespaceLimitedTokens).toBe(false);
    expect(loadConfig({ CHRONICLE_TOKENS: 'ADMIN=a-long-enough-token-0001,VIEWER:teamA=a-long-enough-token-0002' }).namespaceLimitedTokens).toBe(true);
    expect(configError({ EVENTSTORE_URL: 'not-a-connection-string' }).issues[0]).toMatch(/^EVENTSTORE_URL: expected an EventStoreDB connection string/);
    expect(loadConfig({ EVENTSTORE_URL: 'esdb://127.0.0.1:2113?tls=false' }).eventStoreUrl).toBe('esdb://127.0.0.1:2113?tls=false');
    expect(configError({ CHRONICLE_SCRIPT_TIMEOUT_MS: '60000', CHRONICLE_SCRIPT_MAX_TIMEOUT_MS: '30000' }).issues[0]).toMatch(/^CHRONICLE_SCRIPT_TIMEOUT_MS: 60000 is above CHRONICLE_SCRIPT_MAX_TIMEOUT_MS/);
    expect(configError({ CHRONICLE_SCRIPT_MEMORY_MB: '256', CHRONICLE_SCRIPT_MAX_MEMORY_MB: '128' }).issues[0]).toMatch(/^CHRONICLE_SCRIPT_MEMORY_MB: /);
    expect(configError({ CHRONICLE_KAFKA_NAMESPACE_PREFIXES: 'teamA' }).issues[0]).toMatch(/^CHRONICLE_KAFKA_NAMESPACE_PREFIXES: /);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ port: 8080, databaseUrl: undefined });
  });
});

// Kestra's `kestra.variables.env-vars-prefix` and `kestra.variables.globals` (RunContextCache): `envs` and `globals` of every flow.
describe('envs and globals', () => {
  it('reads the environment variables under the prefix, without it, lower-cased', () => {
    expect(loadConfig({ ENV_MY_VAR: 'a', ENV_OTHER: 'b', CHRONICLE_LOG_LEVEL: 'info', ENV_: 'nameless' }).installation.envs).toEqual({ my_var: 'a', other: 'b' });
    expect(loadConfig({ CHRONICLE_ENV_VARS_PREFIX: 'KESTRA_', KESTRA_TEST1: 'true', ENV_MY_VAR: 'a' }).installation.envs).toEqual({ test1: 'true' });
  });

  it('refuses a prefix that would expose Chronicle\'s own settings or the secrets', () => {
    expect(() => loadConfig({ CHRONICLE_ENV_VARS_PREFIX: 'CHRONICLE_' })).toThrow(/CHRONICLE_ENV_VARS_PREFIX/);
    expect(() => loadConfig({ CHRONICLE_ENV_VARS_PREFIX: 'SECRET_' })).toThrow(/CHRONICLE_ENV_VARS_PREFIX/);
  });

  it('reads the globals as a JSON object, or stops naming the setting', () => {
    expect(loadConfig({ CHRONICLE_GLOBALS: '{"string":"string","nested":{"int":2}}' }).installation.globals).toEqual({ string: 'string', nested: { int: 2 } });
    expect(loadConfig({}).installation.globals).toEqual({});
    expect(() => loadConfig({ CHRONICLE_GLOBALS: '[1]' })).toThrow(/CHRONICLE_GLOBALS: expected a JSON object/);
    expect(() => loadConfig({ CHRONICLE_GLOBALS: '{oops' })).toThrow(/CHRONICLE_GLOBALS: not JSON/);
  });
});

describe('configVariables', () => {
  it('documents every setting, with its default', () => {
    const variables = configVariables();
    expect(variables.filter((v) => v.meaning.length < 10).map((v) => v.name)).toEqual([]);
    const byName = new Map(variables.map((v) => [v.name, v]));
    expect(byName.get('PORT')?.defaultValue).toBe('8080');
    expect(byName.get('CHRONICLE_PG_FAST')?.defaultValue).toBe('false');
    expect(byName.get('DATABASE_URL')?.defaultValue).toBeUndefined();
    expect(byName.has('HEALTH_PORT')).toBe(true);
  });
});
