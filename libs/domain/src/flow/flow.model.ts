import type { JsonObject, JsonValue } from '../shared/json.js';

export const INPUT_TYPES = ['STRING', 'INT', 'BOOLEAN'] as const;
/** Supported input types; others are rejected at parse time with the list of these. */
export type InputType = (typeof INPUT_TYPES)[number];

export interface InputDefinition {
  readonly id: string;
  readonly type: InputType;
  readonly defaults?: JsonValue;
  readonly required: boolean;
  readonly description?: string;
}

export interface TaskDefinition {
  readonly id: string;
  /** Canonical short type name (`Log`), whatever form the YAML used. */
  readonly type: string;
  /** The type exactly as written in the YAML. */
  readonly typeName: string;
  /** Every other property of the task, unrendered. */
  readonly properties: JsonObject;
}

/** A parsed, validated flow revision. Unknown top-level properties are kept in `extra`. */
export interface FlowDefinition {
  readonly id: string;
  readonly namespace: string;
  readonly revision: number;
  readonly description?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly inputs: readonly InputDefinition[];
  readonly tasks: readonly TaskDefinition[];
  readonly triggers: readonly JsonValue[];
  readonly extra: JsonObject;
}
