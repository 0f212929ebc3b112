/**
 * Java's Double.toString, which Pebble uses to print a double: at least one fractional digit
 * (`5.0`), and the computerized scientific notation outside [10^-3, 10^7) (`1.0E7`, `1.5E-4`).
 * Both languages print the shortest digits that read back as the same double.
 */
export const javaDoubleText = (value: number): string => {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
};
