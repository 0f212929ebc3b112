import { existsSync } from 'node:fs';
import { INPUT_TYPES } from '@chronicle/domain';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultMirrorPath, mirrorMissingMessage } from '../kestra-source.js';
import { issuesOf, sampleValue, verdictAt, type PropertyVerdict } from './flow-probe.js';
import { JAVA_ROOT, KestraClasses } from './kestra-classes.js';

/**
 * Walks Kestra's input types (core/src/main/java/io/kestra/core/models/flows/Type.java) and the
 * properties of each type's class (its validation fields: min, max, validator, values, itemType,
 * expression, ...) and of the Input base class, read from the mirror of Kestra's repository; deploys
 * each in a flow and fails on any type or property Chronicle neither implements nor refuses.
 */
const mirrorPath = defaultMirrorPath();
const found = existsSync(mirrorPath);
if (!found) console.log(mirrorMissingMessage(mirrorPath).replace('source-flows suite', 'input-properties coverage'));

const FLOWS = `${JAVA_ROOT}io/kestra/core/models/flows/`;
const TYPE = `${FLOWS}Type.java`;
const INPUT = `${FLOWS}Input.java`;

/** What a type needs besides the property under test, so that the probe is about that property only. */
const REQUIRED: Readonly<Record<string, Record<string, unknown>>> = {
  ENUM: { values: ['a', 'b'] },
  SELECT: { values: ['a', 'b'] },
  MULTISELECT: { values: ['a', 'b'] },
  ARRAY: { itemType: 'STRING' },
};

const flowWithInput = (input: Record<string, unknown>) => ({
  id: 'f', namespace: 'company.team', inputs: [{ id: 'i', ...input }], tasks: [{ id: 't', type: 'io.kestra.plugin.core.log.Log', message: 'hi' }],
});

const tally = { types: 0, implemented: 0, refused: [] as string[] };
const count = (name: string, verdict: PropertyVerdict) => {
  if (verdict.status === 'implemented') tally.implemented++;
  if (verdict.status === 'refused') tally.refused.push(name);
};

describe.skipIf(!found)("Kestra's input types and their properties: each implemented, or refused at deploy with a reason", () => {
  const classes = found ? new KestraClasses(mirrorPath) : undefined;
  const types = classes ? [...classes.read(TYPE).matchAll(/^\s+([A-Z]+)\((\w+)\.class/gm)].map((m) => ({ type: m[1]!, path: `${FLOWS}input/${m[2]}.java` })) : [];

  afterAll(() => console.log(`Kestra input coverage: ${tally.types} types, ${tally.implemented} properties implemented, ${tally.refused.length} refused (${tally.refused.join(', ')})`));

  it(`every type of ${TYPE} is one of Chronicle's input types`, () => {
    expect(types.length).toBeGreaterThanOrEqual(18);
    expect(types.map((t) => t.type).filter((t) => !(INPUT_TYPES as readonly string[]).includes(t))).toEqual([]);
    tally.types = types.length;
  });

  it(`every property of ${INPUT} on an input`, () => {
    const missing: string[] = [];
    for (const p of classes!.properties(INPUT, new Set())) {
      if (p.name === 'id' || p.name === 'type') continue;
      const verdict = verdictAt(issuesOf(flowWithInput({ type: 'STRING', [p.name]: sampleValue(p.type) })), `inputs[0].${p.name}`);
      count(`Input.${p.name}`, verdict);
      if (verdict.status === 'missing') missing.push(`${p.name}: ${verdict.problem}`);
    }
    expect(missing).toEqual([]);
  });

  it.each(types.map((t) => [t.type, t.path] as const))('every property of %s (%s)', (type, path) => {
    const missing: string[] = [];
    for (const p of classes!.properties(path, new Set(['Input']))) {
      const verdict = verdictAt(issuesOf(flowWithInput({ type, ...REQUIRED[type], [p.name]: sampleValue(p.type) })), `inputs[0].${p.name}`);
      count(`${type}.${p.name}`, verdict);
      if (verdict.status === 'missing') missing.push(`${p.name}: ${verdict.problem}`);
    }
    expect(missing, `properties of ${path} Chronicle neither implements nor refuses`).toEqual([]);
    // And a property no input has is refused, never ignored.
    expect(verdictAt(issuesOf(flowWithInput({ type, ...REQUIRED[type], notAnInputProperty: 1 })), 'inputs[0].notAnInputProperty').status).toBe('missing');
  });
});
