// The yaml filter's and toIon's text reads back as the same value (YAML with the yaml library, Ion with fromIon).
import { parse } from 'yaml';
import type { JsonValue } from '../shared/json.js';
import { it, expect } from 'vitest';
import { toYamlText } from './expression.yaml-format.js';
import { fromIonText, toIonText } from './expression.ion.js';
it('yaml filter text parses back to the value', () => {
  const samples: JsonValue[] = [
    { a: [{ b: 1, c: [1, 2, { d: 'x: y' }] }, []], e: {}, f: 'true', g: '', h: null, 'weird key': '#x', i: 'multi\nline', j: [[1, 2], [3, [4, 5]]] },
    [{ a: 1 }, 'b', [1, [2]]], [[{ a: 1, b: 2 }]],
    'plain', '- dash', '123', 1.5,
  ];
  for (const s of samples) expect(parse(toYamlText(s))).toEqual(s);
});
it('toIon text reads back with fromIon; fromIon takes annotations, s-expressions, long strings, typed nulls, hex, decimals, timestamps', () => {
  const samples: JsonValue[] = [{ a: [{ b: 1 }], 'k y': 'x"\\\n', null: null, t: true }, [1.5, -2, 'a'], 'x'];
  for (const s of samples) expect(fromIonText(toIonText(s))).toEqual(s);
  expect(fromIonText("{a:'b c'::x, 'q k':[1,2.5e0,3.5d0,0x10], c:(+ 1 2), d:null.int, s:'''ab''' '''cd''' /* c */, t:2024-01-01}")).toEqual(
    { a: 'x', 'q k': [1, 2.5, 3.5, 16], c: ['+', 1, 2], d: null, s: 'abcd', t: '2024-01-01' });
});
