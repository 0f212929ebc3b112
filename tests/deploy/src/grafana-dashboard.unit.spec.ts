import { metricsRegistry } from '@chronicle/runtime';
import { describe, expect, it } from 'vitest';
import { readRepoFile } from './deploy-files.js';

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource: { uid: string };
  targets: { expr: string; refId: string }[];
}

const dashboard = JSON.parse(readRepoFile('deploy', 'grafana', 'chronicle-dashboard.json')) as { uid: string; schemaVersion: number; panels: Panel[]; templating: { list: { name: string }[] } };
const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];

/** What the services' /metrics endpoints expose: the one registry every service renders. */
async function exposedSeries(): Promise<{ names: Set<string>; own: string[] }> {
  const metrics = await metricsRegistry.getMetricsAsJSON();
  const names = new Set(metrics.flatMap((m) => (String(m.type) === 'histogram' ? HISTOGRAM_SUFFIXES.map((s) => m.name + s) : [m.name])));
  // Chronicle's own metrics, not prom-client's default process and Node.js ones.
  const own = metrics.map((m) => m.name).filter((n) => !/^chronicle_(process|nodejs)_/.test(n));
  return { names, own };
}

describe('the Grafana dashboard (deploy/grafana/chronicle-dashboard.json)', () => {
  it('is a dashboard: uid, schema version, unique panel ids, a datasource variable used by every panel', () => {
    expect(dashboard).toMatchObject({ uid: 'chronicle-overview', schemaVersion: expect.any(Number) });
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(expect.arrayContaining(['datasource', 'job']));
    for (const panel of dashboard.panels) {
      expect(panel.datasource.uid, panel.title).toBe('${datasource}');
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      expect(panel.gridPos.x + panel.gridPos.w, panel.title).toBeLessThanOrEqual(24);
    }
  });

  it('queries only metrics the services expose, and shows every metric of Chronicle\'s own', async () => {
    const { names, own } = await exposedSeries();
    const queried = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/\bchronicle_[a-z0-9_]+/g) ?? [])));
    expect([...queried].filter((name) => !names.has(name))).toEqual([]);
    const shown = [...queried].map((q) => HISTOGRAM_SUFFIXES.reduce((n, s) => (n.endsWith(s) ? n.slice(0, -s.length) : n), q));
    expect(own.filter((metric) => !shown.includes(metric))).toEqual([]);
  });
});
