import fc from 'fast-check';
import { GraphQLError, Kind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DateTimeScalar, JsonScalar } from './scalars.js';

describe('DateTime', () => {
  it('passes ISO strings and Dates through as RFC 3339 text', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(0), max: new Date('2200-01-01'), noInvalidDate: true }), (d) => {
        expect(DateTimeScalar.serialize(d)).toBe(d.toISOString());
        expect(DateTimeScalar.parseValue(d.toISOString())).toBe(d.toISOString());
      }),
    );
  });

  it('refuses anything else with a GraphQL error (a 400 for a variable), never a crash', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        try {
          const out = DateTimeScalar.parseValue(value);
          expect(typeof out).toBe('string');
        } catch (err) {
          expect(err).toBeInstanceOf(GraphQLError);
        }
      }),
    );
    expect(() => DateTimeScalar.parseLiteral({ kind: Kind.INT, value: '1' })).toThrow(GraphQLError);
  });
});

describe('JSON', () => {
  it('reads literals of any shape as plain values', () => {
    const ast = {
      kind: Kind.OBJECT,
      fields: [
        {
          kind: Kind.OBJECT_FIELD,
          name: { kind: Kind.NAME, value: 'a' },
          value: { kind: Kind.LIST, values: [{ kind: Kind.INT, value: '1' }] },
        },
      ],
    } as const;
    expect(JsonScalar.parseLiteral(ast as never, {})).toEqual({ a: [1] });
  });
});
