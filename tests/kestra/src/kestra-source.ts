import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { CaseExpectation, CorpusCase, InputsMode, OutputAssertion, TaskRunExpectation } from './corpus.js';

/**
 * Kestra's own test flows read straight from the mirror of Kestra's repository (a bare git dir,
 * KESTRA_MIRROR, default /work/.mirror/kestra-io+kestra/repo), with expectations this project
 * derived from Kestra's Java tests (kestra-source-cases.ts). Disjoint from ../shared/kestra-corpus.
 */
export const VALIDS = 'core/src/test/resources/flows/valids/';

/**
 * A flow file's path in Kestra's repository: a name under valids/, or a path from the repository's
 * root for Kestra's other test flows (core/src/test/resources/flows/tests/, .../invalids/,
 * webserver/src/test/resources/flows/).
 */
export const kestraPathOf = (file: string): string => (/^(core|webserver|jdbc|cli)\//.test(file) ? file : VALIDS + file);

export const defaultMirrorPath = () => process.env.KESTRA_MIRROR ?? '/work/.mirror/kestra-io+kestra/repo';

export const mirrorMissingMessage = (path: string) =>
  `Kestra's repository mirror not found at ${path} (set KESTRA_MIRROR): skipping the Kestra source-flows suite`;

/** Other executions a case checks once its own ended: Flow-trigger listeners, CREATE_NEW_EXECUTION retries. */
export interface RelatedExpectation {
  readonly namespace?: string;
  readonly flowId: string;
  /** How many executions of that flow must exist and have ended. */
  readonly count: number;
  /** Their final states, in any order (Kestra's `containsInAnyOrder`). */
  readonly states?: readonly string[];
  /** Checked on each of them; `<parent execution id>` is the case's execution. */
  readonly taskRunCount?: number;
  readonly outputs?: readonly OutputAssertion[];
}

export interface SourceCase {
  readonly name: string;
  /** File under core/src/test/resources/flows/valids/, or a path from the repository's root (kestraPathOf). */
  readonly flow: string;
  /** The Java test whose assertions these are (path#method). */
  readonly java: string;
  readonly inputs?: Readonly<Record<string, unknown>>;
  /** `raw` as Kestra's `(f, e) -> Map.of(...)`, `typed` as `flowIO.readExecutionInputs(...)`. */
  readonly inputsMode?: InputsMode;
  /** FILE inputs: uploaded as multipart parts named by the input id. */
  readonly files?: Readonly<Record<string, string>>;
  /** FILE inputs of a resume (a Pause's `onResume`): the resume goes multipart, a `files` part per file named by the input id. */
  readonly resumeFiles?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Executions run to their end, in order, before the case's own (Kestra's tests that run flow A,
   * then flow B, then look at a Flow trigger's listener): each file is deployed, started without
   * inputs and must end in `state`, or be in it when the state is not terminal (PAUSED: Kestra's
   * `runOneUntilPaused`). `<runFirst[i] execution id>` in the case's inputs is the i-th one's id.
   */
  readonly runFirst?: readonly { readonly flow: string; readonly state: string }[];
  /** Flows to deploy first (files under valids/). */
  readonly requires?: readonly string[];
  readonly steps?: readonly string[];
  readonly expected?: {
    readonly state: string;
    readonly taskRunCount?: number;
    readonly outputs?: readonly OutputAssertion[];
    readonly taskRuns?: readonly TaskRunExpectation[];
    readonly child?: CaseExpectation['child'];
  };
  readonly related?: readonly RelatedExpectation[];
  /**
   * Run-time trigger states of the case's flow: `before` is set (enableTrigger/disableTrigger) once the
   * flow is deployed and before the execution starts; `after` is checked once it ended (Kestra's
   * tests read the trigger repository or queue).
   */
  readonly triggers?: {
    readonly before?: Readonly<Record<string, boolean>>;
    readonly after: Readonly<Record<string, boolean>>;
  };
  /**
   * A premise of Kestra's test about timing, which a loaded machine may break; a run where it did
   * not hold tests nothing and is run again (up to 3 runs), and only a run where it held is judged:
   * - `second-created-while-first-runs`: the concurrency tests create execution #2 while #1 runs
   *   (#1 holds the flow's only slot for about a second);
   * - `retry-chain-in-time`: a CREATE_NEW_EXECUTION chain expected to run `executions` times within
   *   `maxDuration`: the one before last failed early enough for the last to be due in time
   *   (Kestra's TaskRun.nextRetryDate: the attempt's end plus `interval`, not past the first's
   *   creation plus `maxDuration`).
   */
  readonly rerunUnless?:
    | { readonly kind: 'second-created-while-first-runs' }
    | { readonly kind: 'retry-chain-in-time'; readonly intervalMs: number; readonly maxDurationMs: number; readonly executions: number };
  /**
   * The flow deploys, and starting it with the case's inputs is refused (Kestra's InputsTest: its input
   * validation throws a ConstraintViolationException naming the input): the error must contain each of `contains`.
   */
  readonly startRefused?: { readonly contains: readonly string[] };
  /** Chronicle refuses the flow at deploy, deliberately: the error must contain `contains` (each of them). */
  readonly refused?: { readonly contains: string | readonly string[]; readonly reason: string };
  readonly notes?: string;
}

export class KestraMirror {
  private readonly cache = new Map<string, string>();
  constructor(readonly path: string = defaultMirrorPath()) {}

  get found(): boolean {
    return existsSync(this.path);
  }

  flow(file: string): string {
    let text = this.cache.get(file);
    if (text === undefined) {
      text = execFileSync('git', ['-C', this.path, 'show', `HEAD:${kestraPathOf(file)}`], { encoding: 'utf8' });
      this.cache.set(file, text);
    }
    return text;
  }

  commit(): string {
    return execFileSync('git', ['-C', this.path, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  }
}

const field = (yaml: string, name: string) => yaml.match(new RegExp(`^${name}:\\s*"?([^"\\s#]+)"?`, 'm'))?.[1] ?? '';

/** The corpus runner's case shape, so runCase and checkExpectations serve both suites. */
export function toCorpusCase(c: SourceCase, mirror: KestraMirror, commit: string): CorpusCase {
  const yaml = mirror.flow(c.flow);
  const requiresFlows = (c.requires ?? []).map((file) => {
    const text = mirror.flow(file);
    return { namespace: field(text, 'namespace'), flowId: field(text, 'id'), kestraPath: kestraPathOf(file) };
  });
  const e = c.expected ?? { state: 'SUCCESS' };
  return {
    name: c.name,
    flowId: field(yaml, 'id'),
    namespace: field(yaml, 'namespace'),
    kestraPath: kestraPathOf(c.flow),
    commit,
    yaml,
    taskTypes: [],
    inputs: c.inputs ?? null,
    inputsMode: c.inputsMode ?? (c.inputs ? 'raw' : 'none'),
    executionLabels: c.labels ? Object.entries(c.labels).map(([key, value]) => ({ key, value })) : null,
    requiresFlows,
    steps: c.steps ?? null,
    expected: {
      state: e.state,
      taskRunCount: e.taskRunCount ?? null,
      outputs: e.outputs ?? [],
      taskRuns: e.taskRuns ?? [],
      asserted: [],
      inferred: [],
      child: e.child,
    },
    confidence: 'high',
    javaTest: c.java,
    notes: c.notes ?? '',
  };
}

/** The flows a case deploys first, as corpus entries runCase can look up by kestraPath. */
export function requiredCases(cases: readonly SourceCase[], mirror: KestraMirror, commit: string): CorpusCase[] {
  const files = [...new Set(cases.flatMap((c) => c.requires ?? []))];
  return files.map((file) => toCorpusCase({ name: `required:${file}`, flow: file, java: '' }, mirror, commit));
}
