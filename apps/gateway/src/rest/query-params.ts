import { BadUserInputError } from '../errors/api-errors.js';

/**
 * Typed query parameters: a wrong type is a 400 that names the parameter (Kestra answers the
 * same way), never a silent default.
 */
export const queryParams = {
  int(name: string, raw: string | undefined, range: { min?: number; max?: number } = {}): number | undefined {
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
    if (!/^-?\d+$/.test(raw) || value < min || value > max) {
      throw invalid(name, raw, `an integer${range.min !== undefined ? ` from ${min}` : ''}${range.max !== undefined ? ` to ${max}` : ''}`);
    }
    return value;
  },
  bool(name: string, raw: string | undefined): boolean | undefined {
    if (raw === undefined || raw === '') return undefined;
    if (raw === 'true') return true;
    if (raw === 'false') return false;
    throw invalid(name, raw, 'true or false');
  },
  date(name: string, raw: string | undefined): string | undefined {
    if (raw === undefined || raw === '') return undefined;
    const at = Date.parse(raw);
    if (Number.isNaN(at)) throw invalid(name, raw, 'an ISO 8601 date-time');
    return new Date(at).toISOString();
  },
  string(name: string, raw: unknown): string | undefined {
    if (raw === undefined) return undefined;
    if (typeof raw !== 'string') throw invalid(name, String(raw), 'a single string');
    return raw;
  },
  list(raw: string | string[] | undefined): string[] | undefined {
    if (raw === undefined) return undefined;
    return (Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(',')).filter((v) => v !== '');
  },
  /** Kestra's `labels=key:value` (repeatable). */
  labels(name: string, raw: string | string[] | undefined): Record<string, string> | undefined {
    if (raw === undefined) return undefined;
    const entries = (Array.isArray(raw) ? raw : [raw]).map((label) => {
      const at = label.indexOf(':');
      if (at <= 0) throw invalid(name, label, 'key:value');
      return [label.slice(0, at), label.slice(at + 1)] as const;
    });
    return Object.fromEntries(entries);
  },
};

function invalid(name: string, raw: string, expected: string): BadUserInputError {
  return new BadUserInputError(`query parameter ${name} must be ${expected} (got "${raw}")`, { parameter: name });
}
