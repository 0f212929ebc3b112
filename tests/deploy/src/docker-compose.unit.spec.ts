import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import draft07 from 'ajv/dist/refs/json-schema-draft-07.json' with { type: 'json' };
import { configVariables } from '@chronicle/runtime';
import { describe, expect, it } from 'vitest';
import { dockerfileTargets, readYaml, repoFileExists } from './deploy-files.js';

interface ComposeService {
  readonly image?: string;
  readonly build?: { readonly dockerfile?: string; readonly target?: string };
  readonly profiles?: readonly string[];
  readonly environment?: Readonly<Record<string, unknown>>;
  readonly depends_on?: Readonly<Record<string, { readonly condition: string }>>;
  readonly healthcheck?: { readonly test: readonly string[] };
  readonly command?: readonly string[];
  readonly volumes?: readonly string[];
}
interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes?: Readonly<Record<string, unknown>>;
}

/**
 * The Compose Specification's JSON schema, as shipped by the `dclint` package (MIT; the schema
 * itself is compose-spec/compose-spec's `schema/compose-spec.json`, Apache-2.0). Its package
 * exports hide the file, so it is found beside its package.json.
 */
function composeSchema(): object {
  const pkg = createRequire(import.meta.url).resolve('dclint/package.json');
  return JSON.parse(readFileSync(join(dirname(pkg), 'schemas', 'compose.schema.json'), 'utf8'));
}

function composeValidator() {
  // strict off: the schema uses annotation keywords (`deprecated`) Ajv's strict mode rejects.
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The schema names draft-07 by its https URI; Ajv knows the same meta-schema by the http one.
  ajv.addMetaSchema({ ...draft07, $id: 'https://json-schema.org/draft-07/schema' });
  return ajv.compile(composeSchema());
}

const compose = readYaml<ComposeFile>('docker-compose.yml');
const services = compose.services;
const ROLES = ['gateway', 'scheduler', 'executor', 'projection'] as const;
const PROFILES = ['eventstoredb', 'postgres-eventstore'] as const;

/** The services `docker compose --profile <profile> up` starts (no profile: the unprofiled ones). */
function active(profile?: string): string[] {
  return Object.entries(services)
    .filter(([, s]) => !s.profiles || (profile !== undefined && s.profiles.includes(profile)))
    .map(([name]) => name);
}
const chronicleServices = Object.entries(services).filter(([, s]) => s.build?.dockerfile === 'deploy/Dockerfile');
const appServices = chronicleServices.filter(([, s]) => ROLES.includes(s.build?.target as (typeof ROLES)[number]));

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    const validate = composeValidator();
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('would be rejected by that schema with a mistake in it (the check bites)', () => {
    const validate = composeValidator();
    const broken = structuredClone(compose) as { services: Record<string, Record<string, unknown>> };
    broken.services.gateway.depends_on = { postgres: { condition: 'service_up' } };
    broken.services.kafka.helthcheck = {};
    expect(validate(broken)).toBe(false);
    const paths = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    expect(paths.some((p) => p.startsWith('/services/gateway/depends_on'))).toBe(true);
    expect(paths.some((p) => p.startsWith('/services/kafka ') && p.includes('additional properties'))).toBe(true);
  });

  it('depends only on services that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const target of Object.keys(service.depends_on ?? {})) expect(services, `${name} depends on ${target}`).toHaveProperty([target]);
    }
  });

  it('makes every user of Postgres, Kafka or EventStoreDB wait for it to be healthy', () => {
    const needs = { DATABASE_URL: 'postgres', KAFKA_BROKERS: 'kafka', EVENTSTORE_URL: 'eventstoredb' } as const;
    for (const [name, service] of Object.entries(services)) {
      for (const [variable, server] of Object.entries(needs)) {
        if (service.environment?.[variable] === undefined) continue;
        expect(service.depends_on?.[server], `${name} uses ${variable}`).toEqual({ condition: 'service_healthy' });
      }
    }
  });

  it('starts the services after the topics and migrate jobs completed, with health checks', () => {
    expect(appServices.length).toBe(ROLES.length * PROFILES.length);
    for (const [name, service] of appServices) {
      expect(service.depends_on?.topics, name).toEqual({ condition: 'service_completed_successfully' });
      expect(service.depends_on?.migrate, name).toEqual({ condition: 'service_completed_successfully' });
      expect(service.healthcheck?.test.join(' '), name).toContain('/readyz');
    }
    for (const [name, service] of Object.entries(services).filter(([, s]) => !s.build)) {
      expect(service.healthcheck, `${name} has a health check`).toBeTruthy();
    }
  });

  it('runs the full deployment in each profile, and leaves EventStoreDB out of postgres-eventstore', () => {
    for (const profile of PROFILES) {
      const up = active(profile);
      const roles = up.map((n) => services[n].build?.target).filter((t) => ROLES.includes(t as (typeof ROLES)[number]));
      expect(roles.sort(), profile).toEqual([...ROLES].sort());
      for (const name of up) {
        for (const target of Object.keys(services[name].depends_on ?? {})) expect(up, `${name} (${profile}) depends on ${target}`).toContain(target);
      }
      expect(up).toEqual(expect.arrayContaining(['postgres', 'kafka', 'topics', 'migrate']));
    }
    const pg = active('postgres-eventstore');
    expect(pg).not.toContain('eventstoredb');
    expect(pg.filter((n) => services[n].environment?.EVENTSTORE_URL !== undefined)).toEqual([]);
    const esdb = active('eventstoredb');
    expect(esdb).toContain('eventstoredb');
    for (const name of esdb.filter((n) => appServices.some(([a]) => a === n))) {
      expect(services[name].environment?.EVENTSTORE_URL, name).toMatch(/^esdb:\/\/eventstoredb:2113\?tls=false$/);
    }
    expect(active()).not.toContain('eventstoredb');
  });

  it('keeps Postgres and EventStoreDB data in named volumes', () => {
    const mounts = (name: string) => (services[name].volumes ?? []).map((v) => v.split(':')[0]);
    expect(mounts('postgres')).toContain('postgres-data');
    expect(mounts('eventstoredb')).toContain('eventstore-data');
    for (const volume of [...mounts('postgres'), ...mounts('eventstoredb')]) expect(compose.volumes).toHaveProperty([volume]);
  });

  it('builds existing Dockerfile targets, runs existing entries, and sets only known settings', () => {
    const targets = dockerfileTargets();
    const known = new Set(configVariables().map((v) => v.name));
    for (const [name, service] of chronicleServices) {
      expect(targets, name).toContain(service.build?.target);
      for (const variable of Object.keys(service.environment ?? {})) expect(known, `${name}: ${variable}`).toContain(variable);
    }
    expect(services.topics.command?.slice(0, 2)).toEqual(['node', 'deploy/dist/kafka-topics.js']);
    expect(repoFileExists('scripts', 'kafka-topics.ts')).toBe(true);
    expect(services.migrate.command).toEqual(['node', 'apps/projection/dist/migrate.js']);
    expect(repoFileExists('apps', 'projection', 'src', 'migrate.ts')).toBe(true);
  });
});
