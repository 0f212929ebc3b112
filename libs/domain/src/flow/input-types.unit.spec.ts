import { describe, expect, it } from 'vitest';
import type { InputType } from './flow.model.js';
import { coerceInput, type InputShape } from './input-types.js';

const coerce = (shape: InputShape | InputType, value: unknown) => coerceInput(typeof shape === 'string' ? { type: shape } : shape, value);
const valueOf = (shape: InputShape | InputType, value: unknown) => {
  const result = coerce(shape, value);
  if (!result.ok) throw new Error(result.message);
  return result.value;
};
const messageOf = (shape: InputShape | InputType, value: unknown) => {
  const result = coerce(shape, value);
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.message;
};

const COLOURS: InputShape = { type: 'ENUM', values: ['red', 'green'] };

describe('coerceInput: valid values, including text from forms and multipart bodies', () => {
  it.each<[InputShape | InputType, unknown, unknown]>([
    ['STRING', 'hello', 'hello'],
    ['STRING', 42, '42'],
    ['STRING', true, 'true'],
    ['INT', 42, 42],
    ['INT', '42', 42],
    ['INT', ' -7 ', -7],
    ['FLOAT', 1.5, 1.5],
    ['FLOAT', '1.5', 1.5],
    ['FLOAT', '-2e3', -2000],
    ['FLOAT', 3, 3],
    ['BOOLEAN', true, true],
    ['BOOLEAN', 'true', true],
    ['BOOLEAN', 'FALSE', false],
    ['DATETIME', '2025-01-31T10:00:00Z', '2025-01-31T10:00:00Z'],
    ['DATETIME', '2025-01-31T11:30:00+01:30', '2025-01-31T10:00:00Z'],
    ['DATETIME', '2025-01-31T10:00:00.123456Z', '2025-01-31T10:00:00.123456Z'],
    ['DATETIME', '2025-01-31T12:00:00+02:00[Europe/Paris]', '2025-01-31T10:00:00Z'],
    ['DATE', '2024-02-29', '2024-02-29'],
    ['TIME', '10:30', '10:30'],
    ['TIME', '23:59:59', '23:59:59'],
    ['TIME', '08:00:00.250', '08:00:00.250'],
    ['DURATION', 'PT30S', 'PT30S'],
    ['DURATION', 'p1dt2h', 'P1DT2H'],
    ['DURATION', 'PT0.5S', 'PT0.5S'],
    ['JSON', { a: [1, 2] }, { a: [1, 2] }],
    ['JSON', '{"a":[1,2]}', { a: [1, 2] }],
    ['JSON', '"text"', 'text'],
    ['JSON', [1], [1]],
    [COLOURS, 'red', 'red'],
    [{ type: 'ARRAY', itemType: 'INT' }, [1, '2'], [1, 2]],
    [{ type: 'ARRAY', itemType: 'INT' }, '[1, 2, 3]', [1, 2, 3]],
    [{ type: 'ARRAY', itemType: 'ENUM', values: ['a', 'b'] }, ['b', 'a'], ['b', 'a']],
    [{ type: 'ARRAY', itemType: 'STRING' }, [], []],
    ['URI', 'https://example.com/data.csv?x=1', 'https://example.com/data.csv?x=1'],
    ['URI', 'ftp://files.example.com/data.csv', 'ftp://files.example.com/data.csv'],
    ['EMAIL', 'ada@example.com', 'ada@example.com'],
    // Kestra's EmailInput.EMAIL_PATTERN: a host without a dot is an address too.
    ['EMAIL', 'ada@localhost', 'ada@localhost'],
    ['SECRET', 's3cr3t', 's3cr3t'],
    ['FILE', 'chronicle:///files/0b7c5f6e-1d2a-4f55-9d7e-3c9f6a1b2c3d', 'chronicle:///files/0b7c5f6e-1d2a-4f55-9d7e-3c9f6a1b2c3d'],
    ['FILE', 'kestra:///company/team/flow/executions/1/inputs/file/data.csv', 'kestra:///company/team/flow/executions/1/inputs/file/data.csv'],
  ])('%o accepts %o as %o', (shape, given, expected) => {
    expect(valueOf(shape, given)).toEqual(expected);
  });
});

describe('coerceInput: invalid values say what the input expects', () => {
  it.each<[InputShape | InputType, unknown, string]>([
    ['STRING', { a: 1 }, 'expected STRING (text), got object {"a":1}'],
    ['INT', 1.5, 'expected INT (a whole number such as 42), got number 1.5'],
    ['INT', '1e3', 'expected INT (a whole number such as 42), got string "1e3"'],
    ['INT', '', 'expected INT (a whole number such as 42), got string ""'],
    ['INT', '99999999999999999999', 'expected INT (a whole number such as 42), got string "99999999999999999999"'],
    ['FLOAT', 'abc', 'expected FLOAT (a number such as 1.5), got string "abc"'],
    ['FLOAT', true, 'expected FLOAT (a number such as 1.5), got boolean true'],
    ['BOOLEAN', 'yes', 'expected BOOLEAN (true or false), got string "yes"'],
    ['BOOLEAN', 1, 'expected BOOLEAN (true or false), got number 1'],
    ['DATETIME', '2025-01-31T10:00:00', 'expected DATETIME (an ISO-8601 date-time with a zone, such as 2025-01-31T10:00:00Z), got string "2025-01-31T10:00:00"'],
    ['DATETIME', '2025-01-31', 'expected DATETIME (an ISO-8601 date-time with a zone, such as 2025-01-31T10:00:00Z), got string "2025-01-31"'],
    ['DATETIME', '2025-02-30T10:00:00Z', 'expected DATETIME (an ISO-8601 date-time with a zone, such as 2025-01-31T10:00:00Z), got string "2025-02-30T10:00:00Z"'],
    ['DATE', '2025-02-29', 'expected DATE (an ISO-8601 date such as 2025-01-31), got string "2025-02-29"'],
    ['DATE', '31/01/2025', 'expected DATE (an ISO-8601 date such as 2025-01-31), got string "31/01/2025"'],
    ['TIME', '24:00', 'expected TIME (a time such as 10:30 or 10:30:15), got string "24:00"'],
    ['TIME', '9:30', 'expected TIME (a time such as 10:30 or 10:30:15), got string "9:30"'],
    ['DURATION', 'P1M', 'expected DURATION (an ISO-8601 duration such as PT30S, PT5M or P1DT2H), got string "P1M"'],
    ['DURATION', 'PT', 'expected DURATION (an ISO-8601 duration such as PT30S, PT5M or P1DT2H), got string "PT"'],
    ['DURATION', '5 minutes', 'expected DURATION (an ISO-8601 duration such as PT30S, PT5M or P1DT2H), got string "5 minutes"'],
    ['JSON', '{oops', 'expected JSON (a JSON value or JSON text), got text that is not valid JSON'],
    [COLOURS, 'blue', 'expected ENUM (one of red, green), got string "blue"'],
    [{ type: 'ARRAY', itemType: 'INT' }, 'not json', 'expected ARRAY (a list of INT (or its JSON text)), got string "not json"'],
    [{ type: 'ARRAY', itemType: 'INT' }, [1, 'x', 2.5], 'item 1: expected INT (a whole number such as 42), got string "x", item 2: expected INT (a whole number such as 42), got number 2.5'],
    ['URI', 'not a uri', 'expected URI (an absolute URI such as https://example.com/data.csv), got string "not a uri"'],
    ['URI', '/relative/path', 'expected URI (an absolute URI such as https://example.com/data.csv), got string "/relative/path"'],
    // Kestra's URI_PATTERN wants scheme://host.tld (InputsTest.inputFailed).
    ['URI', 'http:/bla', 'expected URI (an absolute URI such as https://example.com/data.csv), got string "http:/bla"'],
    ['EMAIL', 'ada.example.com', 'expected EMAIL (an e-mail address such as name@example.com), got string "ada.example.com"'],
    ['EMAIL', 'ada lovelace@example.com', 'expected EMAIL (an e-mail address such as name@example.com), got string "ada lovelace@example.com"'],
    ['SECRET', ['x'], 'expected SECRET (text), got a list'],
    ['FILE', 'https://example.com/x.csv', 'expected FILE (a file reference such as chronicle:///files/<id>), got string "https://example.com/x.csv"'],
    ['FILE', 'chronicle:///files/', 'expected FILE (a file reference such as chronicle:///files/<id>), got string "chronicle:///files/"'],
  ])('%o rejects %o', (shape, given, message) => {
    expect(messageOf(shape, given)).toBe(message);
  });
});

describe("Kestra's own validation rules (core/src/main/java/io/kestra/core/models/flows/input/*.java)", () => {
  it('ENUM and SELECT check the values only when the input is required (EnumInput/SelectInput.validate: `!values.contains(input) && this.getRequired()`)', () => {
    expect(messageOf({ ...COLOURS, required: true }, 'blue')).toBe('expected ENUM (one of red, green), got string "blue"');
    expect(valueOf({ ...COLOURS, required: false }, 'blue')).toBe('blue');
    expect(valueOf({ type: 'SELECT', values: ['a'], required: false }, 'z')).toBe('z');
  });

  it("EMAIL follows EmailInput.EMAIL_PATTERN: `^$|^[a-zA-Z0-9_!#$%&’*+/=?`{|}~^.-]+@[a-zA-Z0-9.-]+$`", () => {
    expect(valueOf('EMAIL', 'first.last+tag@mail.example')).toBe('first.last+tag@mail.example');
    expect(messageOf('EMAIL', "o'brien@example.com")).toMatch(/^expected EMAIL/); // the pattern has ’ (U+2019), not '
    expect(valueOf('EMAIL', 'root@localhost')).toBe('root@localhost');
    expect(messageOf('EMAIL', 'a@b_c.com')).toMatch(/^expected EMAIL/);
  });
});
