import { CORE_TASK_CATALOG, parseFlow } from '@chronicle/domain';
import { describe, expect, it } from 'vitest';
import { listTriggers } from './list-triggers.js';

const flow = parseFlow(`id: prices
namespace: company.team
tasks:
  - { id: log, type: io.kestra.plugin.core.log.Log, message: hi }
triggers:
  - { id: poll, type: io.kestra.plugin.core.http.Trigger, uri: "https://e.com/p", interval: PT30S }
  - { id: off, type: io.kestra.plugin.fs.http.Trigger, uri: "https://e.com/{{ flow.id }}", disabled: true }
`, CORE_TASK_CATALOG);

describe('listTriggers', () => {
  it('lists HTTP triggers as kind Http with their next poll; last start as lastFiredAt; none planned when disabled', async () => {
    const states = { all: async () => [{ namespace: 'company.team', flowId: 'prices', triggerId: 'poll', enabled: true, lastFired: new Date('2026-12-08T09:59:30Z') }] };
    const listed = await listTriggers([flow], states, new Date('2026-12-08T10:00:10Z'));
    expect(listed).toEqual([
      expect.objectContaining({ id: 'poll', kind: 'Http', type: 'io.kestra.plugin.core.http.Trigger', enabled: true, lastFiredAt: '2026-12-08T09:59:30.000Z', nextFireAt: '2026-12-08T10:00:30.000Z', uri: 'https://e.com/p', interval: 'PT30S' }),
      // The URL as written (a template is rendered per poll); Kestra's default interval.
      expect.objectContaining({ id: 'off', kind: 'Http', enabled: false, disabledInFlow: true, nextFireAt: undefined, uri: 'https://e.com/{{ flow.id }}', interval: 'PT60S' }),
    ]);
    const disabled = await listTriggers([flow], { all: async () => [{ namespace: 'company.team', flowId: 'prices', triggerId: 'poll', enabled: false }] }, new Date('2026-12-08T10:00:10Z'));
    expect(disabled[0]).toMatchObject({ enabled: false, nextFireAt: undefined });
  });
});
