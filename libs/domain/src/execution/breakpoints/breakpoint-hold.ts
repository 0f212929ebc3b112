import type { JsonObject } from '../../shared/json.js';

/** A task run stopped at a breakpoint: what it would run with (or why that cannot be rendered). */
export interface BreakpointHold {
  readonly since: string;
  readonly properties?: JsonObject;
  readonly error?: string;
}
