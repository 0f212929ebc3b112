import { KESTRA_TASK_ALIASES } from './aliases.js';

/**
 * Kestra core task types Chronicle deliberately does not run: a flow naming one is refused at
 * deploy with the reason (README, "What a flow can do", lists the same). Keyed by every name a
 * flow may use (short, full, Kestra's old alias).
 */
const REASONS: Readonly<Record<string, string>> = {
  'io.kestra.plugin.core.flow.Template': 'Template is deprecated in Kestra (templates were removed); use a Subflow',
};

const byName = new Map<string, string>();
for (const [full, reason] of Object.entries(REASONS)) {
  byName.set(full, reason);
  byName.set(full.slice(full.lastIndexOf('.') + 1), reason);
}
for (const [alias, full] of Object.entries(KESTRA_TASK_ALIASES)) if (REASONS[full] !== undefined) byName.set(alias, REASONS[full]);

/** Why Chronicle refuses this task type; undefined when it is not one of the refused ones. */
export const refusedTaskTypeReason = (name: string): string | undefined => byName.get(name);

/** Full names of the refused types, for the README table test. */
export const REFUSED_TASK_TYPES: readonly string[] = Object.keys(REASONS);
