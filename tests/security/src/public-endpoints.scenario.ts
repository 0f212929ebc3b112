import { expect, it } from 'vitest';
import { eventually } from '@chronicle/testing';
import type { SecuritySuite } from './security-suite.js';

/**
 * What answers without a token: `/metrics` (Prometheus scrapes it) must not tell which namespaces
 * exist where tokens are limited to namespaces (CHRONICLE_METRICS_NAMESPACE_LABELS=auto hides them).
 */
export function publicEndpointsScenario(suite: () => SecuritySuite): void {
  it('serves /metrics without a token and without namespace names, where tokens are limited to namespaces', async () => {
    const { chronicle, start, until, counted } = suite();
    await until(await start('teamB', 'f'), ['SUCCESS']);
    const text = await eventually('the execution counters in /metrics', async () => {
      const res = await fetch(`${chronicle.url}/metrics`);
      expect(res.status).toBe(200);
      const body = await res.text();
      return /^chronicle_executions_ended_total\{state="SUCCESS"\} [1-9]/m.test(body) ? body : undefined;
    });
    expect(text).toMatch(/^chronicle_executions_started_total [1-9]/m);
    expect(text).not.toMatch(/namespace="/);
    // (`shared` is also a V8 heap space's name: the two team namespaces tell.)
    for (const ns of ['teamA', 'teamB']) expect(text).not.toContain(ns);
    counted('public endpoints: /metrics', 2);
  });
}
