import type { JsonObject, JsonValue } from '../shared/json.js';

/** The variables an expression sees; the names follow Kestra's (`inputs`, `outputs`, ...). */
export interface ExpressionContext {
  readonly inputs: JsonObject;
  /** `outputs.<taskId>` is that task run's outputs object. */
  readonly outputs: JsonObject;
  readonly execution: { readonly id: string; readonly startDate: string; readonly originalId: string };
  readonly flow: { readonly id: string; readonly namespace: string; readonly revision: number };
  /** The task run being rendered: its id, and its `value` inside a ForEach (later). */
  readonly taskrun?: { readonly id?: string; readonly value?: JsonValue };
  readonly labels: Readonly<Record<string, string>>;
  readonly trigger?: JsonObject;
}
