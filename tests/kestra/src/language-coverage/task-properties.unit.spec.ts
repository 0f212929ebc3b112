import { existsSync } from 'node:fs';
import { TASK_CATALOG } from '@chronicle/tasks';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultMirrorPath, mirrorMissingMessage } from '../kestra-source.js';
import { issuesOf, sampleValue, verdictAt, type PropertyVerdict } from './flow-probe.js';
import { javaPathOf, JAVA_ROOT, KestraClasses } from './kestra-classes.js';

/**
 * Walks the properties of Kestra's Task and Flow base classes and of every core task class Chronicle
 * supports (their fields and those of the Kestra classes they extend, read from the mirror of
 * Kestra's repository), deploys each in a flow, and fails on any Chronicle neither implements nor
 * refuses at deploy with a reason. A made-up property must be refused too: a property Chronicle does
 * not know is a deploy error, never silently ignored.
 */
const mirrorPath = defaultMirrorPath();
const found = existsSync(mirrorPath);
if (!found) console.log(mirrorMissingMessage(mirrorPath).replace('source-flows suite', 'task-properties coverage'));

const TASK = `${JAVA_ROOT}io/kestra/core/models/tasks/Task.java`;
const FLOW_CLASSES = [`${JAVA_ROOT}io/kestra/core/models/flows/Flow.java`]; // extends AbstractFlow
const BASE_CLASSES = new Set(['Task']);
/** Core packages that hold tasks (`trigger` holds Toggle besides the triggers; only classes that extend Task count). */
const TASK_PACKAGES = ['debug', 'execution', 'flow', 'http', 'kv', 'log', 'namespace', 'output', 'state', 'storage', 'templating', 'trigger'];

const flowWithTask = (task: Record<string, unknown>) => ({ id: 'f', namespace: 'company.team', tasks: [{ id: 't', ...task }] });
const LOG = { type: 'io.kestra.plugin.core.log.Log', message: 'hi' };

const tally = { implemented: 0, refused: [] as string[], notInThisKestra: [] as string[] };
const count = (name: string, verdict: PropertyVerdict) => {
  if (verdict.status === 'implemented') tally.implemented++;
  if (verdict.status === 'refused') tally.refused.push(name);
};

const kestraTypes = TASK_CATALOG.definitions.filter((t) => t.fullName.startsWith('io.kestra.plugin.core.') && t.internal !== true);

describe.skipIf(!found)("Kestra's task and flow properties: each implemented, or refused at deploy with a reason", () => {
  const classes = found ? new KestraClasses(mirrorPath) : undefined;

  afterAll(() => {
    console.log(
      `Kestra property coverage: ${tally.implemented} implemented, ${tally.refused.length} refused (${tally.refused.join(', ')}); ` +
        `types not in this Kestra's source: ${tally.notInThisKestra.join(', ') || 'none'}`,
    );
  });

  it(`every property of Task (${TASK}) on a task`, () => {
    const missing: string[] = [];
    const properties = classes!.properties(TASK, new Set());
    expect(properties.map((p) => p.name)).toEqual(expect.arrayContaining(['id', 'type', 'retry', 'timeout', 'runIf', 'allowWarning']));
    for (const p of properties) {
      if (p.name === 'id' || p.name === 'type') continue;
      const verdict = verdictAt(issuesOf(flowWithTask({ ...LOG, [p.name]: sampleValue(p.type) })), `tasks[0].${p.name}`);
      count(`Task.${p.name}`, verdict);
      if (verdict.status === 'missing') missing.push(`${p.name}: ${verdict.problem}`);
    }
    expect(missing).toEqual([]);
  });

  it(`every property of Flow and AbstractFlow (${FLOW_CLASSES[0]})`, () => {
    const missing: string[] = [];
    const properties = FLOW_CLASSES.flatMap((path) => classes!.properties(path, new Set()));
    expect(properties.map((p) => p.name)).toEqual(expect.arrayContaining(['id', 'namespace', 'inputs', 'tasks', 'pluginDefaults', 'sla']));
    for (const p of properties) {
      if (['id', 'namespace', 'tasks'].includes(p.name)) continue;
      const verdict = verdictAt(issuesOf({ ...flowWithTask(LOG), [p.name]: sampleValue(p.type) }), p.name);
      count(`Flow.${p.name}`, verdict);
      if (verdict.status === 'missing') missing.push(`${p.name}: ${verdict.problem}`);
    }
    expect(missing).toEqual([]);
  });

  it.each(kestraTypes.map((t) => [t.name, t] as const))('every property of %s', (_, type) => {
    const path = javaPathOf(type.fullName);
    if (!classes!.exists(path)) {
      // Newer than the mirrored Kestra (e.g. LoopUntil, Exit): nothing to walk here.
      tally.notInThisKestra.push(type.name);
      return;
    }
    const missing: string[] = [];
    for (const p of classes!.properties(path, BASE_CLASSES)) {
      const verdict = verdictAt(issuesOf(flowWithTask({ type: type.fullName, [p.name]: sampleValue(p.type) })), `tasks[0].${p.name}`);
      count(`${type.name}.${p.name}`, verdict);
      if (verdict.status === 'missing') missing.push(`${p.name} (${p.source}): ${verdict.problem}`);
    }
    expect(missing, `properties of ${path} Chronicle neither implements nor refuses`).toEqual([]);
  });

  it.each(kestraTypes.map((t) => [t.name, t] as const))('every property of the nested classes %s takes (Dag.DagTask, ForEachItem.Batch, Request options, ...)', (_, type) => {
    const path = javaPathOf(type.fullName);
    if (!classes!.exists(path)) return;
    const missing: string[] = [];
    for (const p of classes!.properties(path, BASE_CLASSES)) {
      const listOf = /^(Property<)?List</.test(p.type);
      const inner = classes!.nestedClass(p.source, p.type);
      if (inner === undefined) continue;
      // A property refused as a whole (WorkingDirectory's cache) refuses what it holds.
      if (verdictAt(issuesOf(flowWithTask({ type: type.fullName, [p.name]: listOf ? [{}] : {} })), `tasks[0].${p.name}`).status === 'refused') continue;
      const probe = (name: string, value: unknown) => {
        const item = { [name]: value };
        const at = listOf ? `tasks[0].${p.name}[0].${name}` : `tasks[0].${p.name}.${name}`;
        return verdictAt(issuesOf(flowWithTask({ type: type.fullName, [p.name]: listOf ? [item] : item })), at);
      };
      for (const f of inner.fields) {
        const verdict = probe(f.name, sampleValue(f.type));
        count(`${type.name}.${p.name}.${f.name}`, verdict);
        if (verdict.status === 'missing') missing.push(`${p.name}.${f.name} (${inner.name}): ${verdict.problem}`);
      }
      const bogus = probe('notAKestraProperty', 'x');
      if (bogus.status !== 'missing') missing.push(`${p.name}.notAKestraProperty is not refused (${inner.name})`);
    }
    expect(missing, `nested properties of ${path} Chronicle neither implements nor refuses`).toEqual([]);
  });

  it.each(kestraTypes.map((t) => [t.name, t.fullName] as const))('%s refuses a property it does not have', (_, fullName) => {
    const verdict = verdictAt(issuesOf(flowWithTask({ type: fullName, notAKestraProperty: 'x' })), 'tasks[0].notAKestraProperty');
    expect(verdict.status, `${fullName} must refuse an unknown property at deploy`).toBe('missing');
  });

  it('every core task class of this Kestra is a Chronicle type, or refused with a reason', () => {
    const problems: string[] = [];
    for (const pkg of TASK_PACKAGES) {
      for (const path of classes!.list(`${JAVA_ROOT}io/kestra/plugin/core/${pkg}`)) {
        const source = classes!.read(path);
        if (!/\bclass\s+\w+/.test(source) || /\babstract\s+(public\s+)?class\b|\bpublic\s+abstract\s+class\b/.test(source)) continue;
        if (!isTask(classes!, path)) continue;
        const fullName = path.slice(JAVA_ROOT.length, -'.java'.length).replaceAll('/', '.');
        const issues = issuesOf(flowWithTask({ type: fullName }));
        const typeIssue = issues.find((i) => i.path === 'tasks[0].type');
        if (typeIssue === undefined) continue;
        if (/is not supported by Chronicle: .{10,}/.test(typeIssue.message)) continue;
        problems.push(`${fullName}: ${typeIssue.message.slice(0, 80)}`);
      }
    }
    expect(problems, 'core task types Chronicle neither runs nor refuses with a reason').toEqual([]);
  });
});

/** Whether the class at `path` extends Task, directly or through Kestra classes. */
const isTask = (classes: KestraClasses, path: string): boolean => {
  let current: string | undefined = path;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    const cls = classes.parse(current);
    if (cls.extends === undefined) return false;
    if (cls.extends === 'Task') return true;
    const candidates = [cls.imports[cls.extends], `${cls.packageName}.${cls.extends}`].filter((q): q is string => q !== undefined).map(javaPathOf);
    current = candidates.find((p) => classes.exists(p));
  }
  return false;
};
