import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultMirrorPath, mirrorMissingMessage } from '../kestra-source.js';
import { issuesOf, sampleValue, verdictAt, type PropertyVerdict } from './flow-probe.js';
import { JAVA_ROOT, KestraClasses } from './kestra-classes.js';

/**
 * Walks Kestra's core conditions (core/src/main/java/io/kestra/plugin/core/condition/*.java) and the
 * properties of each, read from the mirror of Kestra's repository; deploys each on a Flow trigger
 * and fails on any condition type or property Chronicle neither implements nor refuses with a reason.
 */
const mirrorPath = defaultMirrorPath();
const found = existsSync(mirrorPath);
if (!found) console.log(mirrorMissingMessage(mirrorPath).replace('source-flows suite', 'condition-properties coverage'));

const FOLDER = `${JAVA_ROOT}io/kestra/plugin/core/condition`;

/** What a condition needs besides the property under test. */
const REQUIRED: Readonly<Record<string, Record<string, unknown>>> = {
  ExecutionFlow: { namespace: 'n', flowId: 'f' },
  ExecutionNamespace: { namespace: 'n' },
  ExecutionStatus: { in: ['SUCCESS'] },
  ExecutionLabels: { labels: { a: 'b' } },
  ExecutionOutputs: { expression: '{{ true }}' },
  Expression: { expression: '{{ true }}' },
  DayWeek: { dayOfWeek: 'MONDAY' },
  DayWeekInMonth: { dayOfWeek: 'MONDAY', dayInMonth: 'FIRST' },
  Not: { conditions: [{ type: 'io.kestra.plugin.core.condition.Weekend' }] },
  Or: { conditions: [{ type: 'io.kestra.plugin.core.condition.Weekend' }] },
  MultipleCondition: { id: 'm', window: 'PT1H', conditions: { a: { type: 'io.kestra.plugin.core.condition.ExecutionStatus', in: ['SUCCESS'] } } },
};

const flowWithCondition = (condition: Record<string, unknown>) => ({
  id: 'f', namespace: 'company.team', tasks: [{ id: 't', type: 'io.kestra.plugin.core.log.Log', message: 'hi' }],
  triggers: [{ id: 'tr', type: 'io.kestra.plugin.core.trigger.Flow', conditions: [condition] }],
});

const tally = { implemented: 0, refused: [] as string[], refusedTypes: [] as string[] };
const count = (name: string, verdict: PropertyVerdict) => {
  if (verdict.status === 'implemented') tally.implemented++;
  if (verdict.status === 'refused') tally.refused.push(name);
};

describe.skipIf(!found)("Kestra's core conditions and their properties: each implemented, or refused at deploy with a reason", () => {
  const classes = found ? new KestraClasses(mirrorPath) : undefined;
  const files = classes ? classes.list(FOLDER).filter((f) => !f.endsWith('/package-info.java')) : [];

  afterAll(() => console.log(`Kestra condition coverage: ${tally.implemented} properties implemented, ${tally.refused.length} refused (${tally.refused.join(', ')}); types refused: ${tally.refusedTypes.join(', ') || 'none'}`));

  it('reads the conditions from the mirror', () => expect(files.length).toBeGreaterThanOrEqual(15));

  it.each(files)('%s', (path) => {
    const fullName = path.slice(JAVA_ROOT.length, -'.java'.length).replaceAll('/', '.');
    const simple = fullName.slice(fullName.lastIndexOf('.') + 1);
    const at = 'triggers[0].conditions[0]';
    const typeIssue = issuesOf(flowWithCondition({ type: fullName, ...REQUIRED[simple] })).find((i) => i.path === `${at}.type`);
    if (typeIssue !== undefined) {
      // A refusal is its reason (condition.parser.ts REFUSED); "unknown condition type" is no reason.
      expect(typeIssue.message, `condition ${fullName} is neither implemented nor refused with a reason`).not.toMatch(/^unknown condition type/);
      expect(typeIssue.message.length).toBeGreaterThan(30);
      tally.refusedTypes.push(simple);
      return;
    }
    const missing: string[] = [];
    for (const p of classes!.properties(path, new Set(['Condition']))) {
      if (p.name === 'type') continue;
      const verdict = verdictAt(issuesOf(flowWithCondition({ type: fullName, ...REQUIRED[simple], [p.name]: sampleValue(p.type) })), `${at}.${p.name}`);
      count(`${simple}.${p.name}`, verdict);
      if (verdict.status === 'missing') missing.push(`${p.name} (${p.source}): ${verdict.problem}`);
    }
    expect(missing, `properties of ${path} Chronicle neither implements nor refuses`).toEqual([]);
    const bogus = verdictAt(issuesOf(flowWithCondition({ type: fullName, ...REQUIRED[simple], notAKestraProperty: 'x' })), `${at}.notAKestraProperty`);
    expect(bogus.status, `${fullName} must refuse an unknown property`).toBe('missing');
  });
});
