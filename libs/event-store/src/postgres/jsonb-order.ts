/**
 * A JSON value freshly parsed from the text an append sent, made what reading its `jsonb` column
 * back gives: `jsonb` keeps an object's keys sorted, shorter keys first and keys of one length by
 * their UTF-8 bytes, and pg's JSON.parse of that text inserts them in that order (JavaScript then
 * puts integer-like keys first, in both cases alike). Numbers and strings need nothing: JSON.stringify
 * prints the shortest decimal that parses back to the same double, `numeric` keeps that decimal
 * exactly, and jsonb prints it back without loss; duplicate keys cannot come out of JSON.stringify.
 *
 * Objects whose keys are in order already (most are) are kept; the value is changed in place,
 * so it must be the caller's own fresh parse.
 */
export function inJsonbOrder(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = inJsonbOrder(value[i]);
    return value;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  let ordered = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const inner = object[key];
    if (inner !== null && typeof inner === 'object') setOwn(object, key, inJsonbOrder(inner));
    if (i > 0 && compareJsonbKeys(keys[i - 1]!, key) > 0) ordered = false;
  }
  if (ordered) return object;
  const rebuilt: Record<string, unknown> = {};
  for (const key of keys.sort(compareJsonbKeys)) setOwn(rebuilt, key, object[key]);
  return rebuilt;
}

/** Postgres's lengthCompareJsonbString: byte length first, then the bytes (memcmp). */
export function compareJsonbKeys(a: string, b: string): number {
  if (isAscii(a) && isAscii(b)) {
    if (a.length !== b.length) return a.length - b.length;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length !== y.length ? x.length - y.length : Buffer.compare(x, y);
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** `object[key] = value`, and an own property even for "__proto__" (as JSON.parse makes it). */
function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}
