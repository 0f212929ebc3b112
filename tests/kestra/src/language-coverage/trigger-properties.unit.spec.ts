import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultMirrorPath, mirrorMissingMessage } from '../kestra-source.js';
import { issuesOf, sampleValue, verdictAt, type PropertyVerdict } from './flow-probe.js';
import { JAVA_ROOT, KestraClasses } from './kestra-classes.js';

/**
 * Walks Kestra's core triggers (core/src/main/java/io/kestra/plugin/core/trigger/*.java and the
 * http Trigger) and the properties of each, AbstractTrigger's included, read from the mirror of
 * Kestra's repository; deploys each in a flow and fails on any trigger type or property Chronicle
 * neither implements nor refuses at deploy with a reason.
 */
const mirrorPath = defaultMirrorPath();
const found = existsSync(mirrorPath);
if (!found) console.log(mirrorMissingMessage(mirrorPath).replace('source-flows suite', 'trigger-properties coverage'));

const TRIGGER_FILES = [
  ...['Flow', 'Schedule', 'ScheduleOnDates', 'Webhook'].map((n) => `${JAVA_ROOT}io/kestra/plugin/core/trigger/${n}.java`),
  `${JAVA_ROOT}io/kestra/plugin/core/http/Trigger.java`,
];

/** What a trigger needs besides the property under test. */
const REQUIRED: Readonly<Record<string, Record<string, unknown>>> = {
  Schedule: { cron: '0 * * * *' },
  ScheduleOnDates: { dates: ['2030-01-01T00:00:00Z'] },
  Webhook: { key: 'a-key-of-16-chars' },
  Trigger: { uri: 'https://example.com' },
};

const flowWithTrigger = (trigger: Record<string, unknown>) => ({
  id: 'f', namespace: 'company.team', tasks: [{ id: 't', type: 'io.kestra.plugin.core.log.Log', message: 'hi' }], triggers: [{ id: 'tr', ...trigger }],
});

const tally = { implemented: 0, refused: [] as string[], refusedTypes: [] as string[] };
const count = (name: string, verdict: PropertyVerdict) => {
  if (verdict.status === 'implemented') tally.implemented++;
  if (verdict.status === 'refused') tally.refused.push(name);
};

describe.skipIf(!found)("Kestra's core triggers and their properties: each implemented, or refused at deploy with a reason", () => {
  const classes = found ? new KestraClasses(mirrorPath) : undefined;

  afterAll(() => console.log(`Kestra trigger coverage: ${tally.implemented} properties implemented, ${tally.refused.length} refused (${tally.refused.join(', ')}); types refused: ${tally.refusedTypes.join(', ') || 'none'}`));

  it.each(TRIGGER_FILES)('%s', (path) => {
    expect(classes!.exists(path)).toBe(true);
    const fullName = path.slice(JAVA_ROOT.length, -'.java'.length).replaceAll('/', '.');
    const simple = fullName.slice(fullName.lastIndexOf('.') + 1);
    const typeIssue = issuesOf(flowWithTrigger({ type: fullName, ...REQUIRED[simple] })).find((i) => i.path === 'triggers[0].type');
    if (typeIssue !== undefined) {
      expect(typeIssue.message, `trigger type ${fullName} is neither implemented nor refused with a reason`).toMatch(/not supported by Chronicle: .{10,}/);
      tally.refusedTypes.push(fullName);
      return;
    }
    const missing: string[] = [];
    for (const p of classes!.properties(path, new Set())) {
      if (p.name === 'id' || p.name === 'type') continue;
      const verdict = verdictAt(issuesOf(flowWithTrigger({ type: fullName, ...REQUIRED[simple], [p.name]: sampleValue(p.type) })), `triggers[0].${p.name}`);
      count(`${simple}.${p.name}`, verdict);
      if (verdict.status === 'missing') missing.push(`${p.name} (${p.source}): ${verdict.problem}`);
    }
    expect(missing, `properties of ${path} Chronicle neither implements nor refuses`).toEqual([]);
    const bogus = verdictAt(issuesOf(flowWithTrigger({ type: fullName, ...REQUIRED[simple], notAKestraProperty: 'x' })), 'triggers[0].notAKestraProperty');
    expect(bogus.status, `${fullName} must refuse an unknown property`).toBe('missing');
  });
});
