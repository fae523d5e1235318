import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KubeStatusError } from '../api/status.util.js';
import { escapeFieldValue, matchesFields, parseFieldSelector } from './field-selector.parser.js';

describe('field selector parser', () => {
  it('parses =, == and != terms joined by commas', () => {
    expect(parseFieldSelector('metadata.name=p1,status.phase!=Failed,spec.nodeName==n')).toEqual([
      { field: 'metadata.name', op: '=', value: 'p1' },
      { field: 'status.phase', op: '!=', value: 'Failed' },
      { field: 'spec.nodeName', op: '=', value: 'n' },
    ]);
    expect(parseFieldSelector('')).toEqual([]);
    expect(parseFieldSelector('a=x\\,y\\=z\\\\')).toEqual([{ field: 'a', op: '=', value: 'x,y=z\\' }]);
  });

  it('rejects terms it cannot understand with 400', () => {
    expect(() => parseFieldSelector('metadata.name')).toThrow(
      "invalid selector: 'metadata.name'; can't understand 'metadata.name'",
    );
    expect(() => parseFieldSelector('a=b\\q')).toThrow('invalid escape sequence');
  });

  it('matches: unset fields compare as empty strings', () => {
    const fields: Record<string, string> = { 'metadata.name': 'p1' };
    const get = (f: string) => fields[f];
    expect(matchesFields(parseFieldSelector('metadata.name=p1'), get)).toBe(true);
    expect(matchesFields(parseFieldSelector('spec.nodeName='), get)).toBe(true);
    expect(matchesFields(parseFieldSelector('spec.nodeName!=x,metadata.name!=p1'), get)).toBe(false);
  });

  it('property: any value survives escaping and parsing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (v) => {
        expect(parseFieldSelector(`metadata.name=${escapeFieldValue(v)}`)).toEqual([
          { field: 'metadata.name', op: '=', value: v },
        ]);
      }),
    );
  });

  it('property: arbitrary input parses or answers 400', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (input) => {
        try {
          parseFieldSelector(input);
        } catch (err) {
          expect(err).toBeInstanceOf(KubeStatusError);
          expect((err as KubeStatusError).status).toBe(400);
        }
      }),
    );
  });
});
