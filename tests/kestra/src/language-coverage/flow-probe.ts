import { FlowValidationError, parseFlow, type FlowIssue } from '@chronicle/domain';
import { TASK_CATALOG } from '@chronicle/tasks';

/**
 * Asks Chronicle's flow parser what it makes of one property: deploys a small flow holding it and
 * reads the issues at that property. JSON is YAML, so the flows are written as JSON.
 */
export type PropertyVerdict =
  | { readonly status: 'implemented' }
  | { readonly status: 'refused'; readonly reason: string }
  | { readonly status: 'missing'; readonly problem: string };

export const issuesOf = (flow: unknown): readonly FlowIssue[] => {
  try {
    parseFlow(JSON.stringify(flow, null, 2), TASK_CATALOG);
    return [];
  } catch (error) {
    if (error instanceof FlowValidationError) return error.issues;
    throw error;
  }
};

const at = (issue: FlowIssue, path: string): boolean =>
  issue.path === path || issue.path.startsWith(`${path}.`) || issue.path.startsWith(`${path}[`);

/**
 * `unknown property` at the property: Chronicle does not know it (a deploy error, but no reason);
 * `not supported`: refused with the reason that follows; anything else (no issue, or one about its
 * value) means the parser reads the property.
 */
export const verdictAt = (issues: readonly FlowIssue[], path: string): PropertyVerdict => {
  const here = issues.filter((i) => at(i, path));
  const refused = here.find((i) => /not supported/.test(i.message));
  if (refused) return { status: 'refused', reason: refused.message.replace(/^.*?not supported( by Chronicle)?:?\s*/, '') };
  const unknown = here.find((i) => /^unknown (flow )?property/.test(i.message));
  return unknown ? { status: 'missing', problem: unknown.message } : { status: 'implemented' };
};

/** A value of the Java field's type, as a flow would write it; what matters is that the property is there. */
export const sampleValue = (javaType: string): unknown => {
  const type = javaType.replace(/^Property<(.+)>$/, '$1').replace(/@\w+\s+/g, '').trim();
  if (/^(List|Set|Collection)<|\[\]$/.test(type)) return [];
  if (/^Map</.test(type)) return {};
  if (/^(Boolean|boolean)$/.test(type)) return true;
  if (/^(Integer|int|Long|long|Double|double|Float|float|Number|BigDecimal)$/.test(type)) return 1;
  if (/^Duration$/.test(type)) return 'PT1S';
  if (/^(ZonedDateTime|Instant|LocalDateTime)$/.test(type)) return '2030-01-01T00:00:00Z';
  return 'x';
};
