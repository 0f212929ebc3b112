/**
 * Who did what: every event's `metadata.actor`. People act through the gateway under their
 * principal's name; the machinery under a `system:`, `trigger:`, `subflow:` or `retry:` name.
 */
export const SYSTEM_EXECUTOR_ACTOR = 'system:executor';

/** Names the actor of a trigger's execution: `trigger:<kind>:<trigger id>`. */
export const triggerActor = (kind: string, triggerId: string): string => `trigger:${kind.toLowerCase()}:${triggerId}`;

/**
 * The actor a command travelled with (a control command sent by the gateway carries its
 * caller), or undefined for the engine's own commands (worker results, timers, advances).
 */
export function actorOf(command: object): string | undefined {
  const actor = (command as { actor?: unknown }).actor;
  return typeof actor === 'string' && actor !== '' ? actor : undefined;
}
