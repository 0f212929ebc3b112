import { existsSync } from 'node:fs';
import { renderTemplate, templateProblem, type ExpressionContext } from '@chronicle/domain';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultMirrorPath, mirrorMissingMessage } from '../kestra-source.js';
import { KestraClasses } from './kestra-classes.js';
import { CUSTOMIZER, EXTENSION, kestraPebbleNames, PEBBLE_BUILT_INS } from './pebble-registrations.js';

/**
 * Every filter, function, test, operator and tag a Kestra flow may use (Pebble's built-ins as
 * Kestra's ExtensionCustomizer trims them, plus Kestra's Extension.java, read from the mirror of
 * Kestra's repository) is implemented by Chronicle or refused at deploy with a stated reason; one
 * that is neither fails here. What Kestra removes must stay unknown (a flow using it fails in Kestra too).
 */
const mirrorPath = defaultMirrorPath();
const found = existsSync(mirrorPath);
if (!found) console.log(mirrorMissingMessage(mirrorPath).replace('source-flows suite', 'expression-names coverage'));

type Verdict = { readonly status: 'implemented' } | { readonly status: 'refused'; readonly reason: string } | { readonly status: 'missing'; readonly problem: string };

const verdictOf = (template: string): Verdict => {
  const problem = templateProblem(template);
  if (problem === undefined) return { status: 'implemented' };
  const refused = /is not supported by Chronicle: (.+)$/.exec(problem);
  return refused ? { status: 'refused', reason: refused[1]! } : { status: 'missing', problem };
};

const PROBES = {
  filter: (name: string) => `{{ x | ${name} }}`,
  function: (name: string) => `{{ ${name}() }}`,
  test: (name: string) => `{{ x is ${name} }}`,
} as const;

const context = {
  inputs: { n: null, list: [1, 2, 3] }, outputs: {}, labels: {},
  execution: { id: 'e', startDate: '2025-01-01T00:00:00Z', originalId: 'e' }, flow: { id: 'f', namespace: 'n', revision: 1 },
} as unknown as ExpressionContext;

/**
 * One example per operator, with what Kestra renders (Pebble's semantics: integer division of
 * longs, `??` for null or undefined, `???` for undefined only — Kestra's
 * core/src/test/java/io/kestra/core/runners/pebble/expression/{Null,Undefined}CoalescingExpressionTest.java).
 */
const BINARY_EXAMPLES: Readonly<Record<string, readonly [string, string]>> = {
  or: ['{{ false or true }}', 'true'],
  and: ['{{ true and false }}', 'false'],
  is: ['{{ 2 is even }}', 'true'],
  'is not': ['{{ 2 is not even }}', 'false'],
  contains: ['{{ inputs.list contains 2 }}', 'true'],
  '==': ['{{ 1 == 1 }}', 'true'],
  equals: ['{{ "a" equals "a" }}', 'true'],
  '!=': ['{{ 1 != 2 }}', 'true'],
  '>': ['{{ 2 > 1 }}', 'true'],
  '<': ['{{ 2 < 1 }}', 'false'],
  '>=': ['{{ 2 >= 2 }}', 'true'],
  '<=': ['{{ 3 <= 2 }}', 'false'],
  '+': ['{{ 1 + 2 }}', '3'],
  '-': ['{{ 5 - 2 }}', '3'],
  '*': ['{{ 2 * 3 }}', '6'],
  '/': ['{{ 7 / 2 }}', '3'],
  '%': ['{{ 7 % 3 }}', '1'],
  '|': ['{{ "a" | upper }}', 'A'],
  '~': ['{{ "a" ~ "b" ~ 1 }}', 'ab1'],
  '..': ['{{ (1..3) | join(",") }}', '1,2,3'],
  '??': ['{{ inputs.n ?? missing ?? "d" }}', 'd'],
  '???': ['{{ missing ??? "d" }}', 'd'],
};
const UNARY_EXAMPLES: Readonly<Record<string, readonly [string, string]>> = {
  not: ['{{ not false }}', 'true'],
  '+': ['{{ +2 }}', '2'],
  '-': ['{{ -(2 + 1) }}', '-3'],
};
const TAG_EXAMPLES: Readonly<Record<string, readonly [string, string]>> = {
  block: ['{% block b %}x{% endblock %}{{ block("b") }}', 'xx'],
  filter: ['{% filter upper %}x{% endfilter %}', 'X'],
  for: ['{% for i in inputs.list %}{{ i }}{% endfor %}', '123'],
  if: ['{% if 1 > 2 %}a{% elseif true %}b{% else %}c{% endif %}', 'b'],
  macro: ['{% macro m(a) %}<{{ a }}>{% endmacro %}{{ m(1) }}', '<1>'],
  set: ['{% set v = 2 %}{{ v * 2 }}', '4'],
  verbatim: ['{% verbatim %}{{ x }}{% endverbatim %}', '{{ x }}'],
};

const tally: Record<string, { implemented: string[]; refused: string[]; missing: string[] }> = {};
const record = (kind: string, name: string, verdict: Verdict) => {
  const t = (tally[kind] ??= { implemented: [], refused: [], missing: [] });
  t[verdict.status].push(name);
};

describe.skipIf(!found)("Kestra's Pebble names: each implemented, or refused at deploy with a reason", () => {
  const classes = found ? new KestraClasses(mirrorPath) : undefined;
  const names = classes ? kestraPebbleNames(classes.read(EXTENSION), classes.read(CUSTOMIZER)) : undefined;

  afterAll(() => {
    const line = (kind: string) => `${kind}: ${tally[kind]?.implemented.length ?? 0} implemented, ${tally[kind]?.refused.length ?? 0} refused (${tally[kind]?.refused.join(', ')})`;
    console.log(`Kestra Pebble coverage (${EXTENSION} + ${PEBBLE_BUILT_INS.source}): ${['filter', 'function', 'test'].map(line).join('; ')}`);
  });

  it('reads the registrations from the mirror', () => {
    // A regex gone stale would silently shrink the lists: Kestra 0.21 registers 30 filters, 21 functions and `json` as a test.
    expect(names!.filters.length).toBeGreaterThanOrEqual(50);
    expect(names!.functions).toEqual(expect.arrayContaining(['kv', 'render', 'fromIon', 'randomInt', 'max', 'range']));
    expect(names!.tests).toContain('json');
    expect(names!.binaryOperators).toEqual(expect.arrayContaining(['??', '???']));
    expect(names!.removed.filters).toEqual(['escape', 'numberformat', 'raw']);
  });

  for (const kind of ['filter', 'function', 'test'] as const) {
    it(`every ${kind} Kestra registers is implemented or refused with a reason`, () => {
      const list = kind === 'filter' ? names!.filters : kind === 'function' ? names!.functions : names!.tests;
      const missing: string[] = [];
      for (const name of list) {
        const verdict = verdictOf(PROBES[kind](name));
        record(kind, name, verdict);
        if (verdict.status === 'missing') missing.push(`${name} (${verdict.problem})`);
        if (verdict.status === 'refused') expect(verdict.reason.length, `the reason for refusing ${kind} ${name}`).toBeGreaterThan(20);
      }
      expect(missing, `Kestra ${kind}s Chronicle neither implements nor refuses`).toEqual([]);
    });
  }

  it('what Kestra takes out of Pebble stays out (a flow using it fails in Kestra as well)', () => {
    for (const name of names!.removed.filters) expect(verdictOf(PROBES.filter(name))).toMatchObject({ status: 'missing' });
    for (const tag of names!.removed.tags) expect(templateProblem(`{% ${tag} "x" %}`), `tag ${tag}`).toMatch(/unknown tag/);
  });

  it('every operator renders as in Kestra', () => {
    const unknown = [...names!.binaryOperators.filter((op) => !BINARY_EXAMPLES[op]), ...names!.unaryOperators.filter((op) => !UNARY_EXAMPLES[op])];
    expect(unknown, 'operators registered in Kestra with no example here').toEqual([]);
    for (const [template, expected] of [...Object.values(BINARY_EXAMPLES), ...Object.values(UNARY_EXAMPLES)]) {
      expect(renderTemplate(template, context), template).toBe(expected);
    }
  });

  it('every tag Kestra keeps renders, and the ternary operator', () => {
    expect(names!.tags.filter((t) => !TAG_EXAMPLES[t]), 'tags kept by Kestra with no example here').toEqual([]);
    for (const [template, expected] of Object.values(TAG_EXAMPLES)) expect(renderTemplate(template, context), template).toBe(expected);
    expect(renderTemplate('{{ 1 > 2 ? "y" : "n" }}', context)).toBe('n');
    // Kestra's own `{% raw %}` (VariableRenderer.RAW_PATTERN, core/src/main/java/io/kestra/core/runners/VariableRenderer.java).
    expect(renderTemplate('{% raw %}{{ x }}{% endraw %}', context)).toBe('{{ x }}');
  });
});
