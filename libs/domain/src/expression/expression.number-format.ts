import { EvaluationFailure } from './expression.error.js';
import type { Filter } from './expression.callables.js';
import { typeOf } from './expression.values.js';

/**
 * Pebble's `numberformat`, which Kestra registers as `numberFormat`: Java's DecimalFormat in the
 * English locale. Supported pattern: literal prefix and suffix, `#`/`0` integer digits with `,`
 * grouping, `.` then `0` (kept) and `#` (optional) fraction digits, a trailing `%` (×100).
 * Rounding is HALF_EVEN, DecimalFormat's default. Without a pattern: `#,##0.###`.
 */
const PATTERN = /^([^#0,.%]*)([#0,]*)(?:\.([0#]*))?(%?)([^#0,.]*)$/;

const halfEven = (value: number, digits: number): number => {
  const factor = 10 ** digits;
  const scaled = value * factor;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  const epsilon = Number.EPSILON * Math.max(1, Math.abs(scaled)) * 8;
  if (Math.abs(diff - 0.5) < epsilon) return (floor % 2 === 0 ? floor : floor + 1) / factor;
  return Math.round(scaled) / factor;
};

export const formatDecimal = (value: number, pattern: string): string => {
  const m = PATTERN.exec(pattern);
  if (!m) throw new EvaluationFailure(`filter "numberFormat": unsupported pattern "${pattern}"`);
  const [, prefix = '', integer = '', fraction = '', percent = '', suffix = ''] = m;
  const minInteger = (integer.match(/0/g) ?? []).length;
  const grouping = integer.includes(',') ? integer.length - integer.lastIndexOf(',') - 1 : 0;
  const minFraction = (fraction.match(/0/g) ?? []).length;
  const maxFraction = fraction.length;
  const number = percent ? value * 100 : value;
  const rounded = halfEven(Math.abs(number), maxFraction);
  let [whole = '0', frac = ''] = rounded.toFixed(maxFraction).split('.');
  frac = frac.replace(/0+$/, '');
  if (frac.length < minFraction) frac = frac.padEnd(minFraction, '0');
  whole = whole === '0' && minInteger === 0 && frac !== '' ? '' : whole.padStart(minInteger, '0');
  if (grouping > 0) whole = whole.replace(new RegExp(`\\B(?=(\\d{${grouping}})+(?!\\d))`, 'g'), ',');
  const sign = number < 0 && rounded !== 0 ? '-' : '';
  return `${sign}${prefix}${whole}${frac === '' ? '' : `.${frac}`}${percent}${suffix}`;
};

export const NUMBER_FORMAT_FILTER: Filter = {
  params: ['format'],
  apply: (input, { format }) => {
    if (input === null) return null;
    if (typeof input !== 'number') throw new EvaluationFailure(`The input for the 'NumberFormat' filter has to be a number, got ${typeOf(input)}`);
    if (format === undefined || format === null) return formatDecimal(input, '#,##0.###');
    if (typeof format !== 'string') throw new EvaluationFailure(`filter "numberFormat": the format must be text, got ${typeOf(format)}`);
    return formatDecimal(input, format);
  },
};
